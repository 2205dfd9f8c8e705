package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import io.duplex.pusher.PusherHandler;
import io.duplex.pusher.PusherSocket;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Logger;

/**
 * The Pusher door, {@code /app/{key}?protocol=7&client=…&version=…}: what pusher-js connects to. One instance per
 * connection, written only against {@code jakarta.websocket} like {@link DuplexEndpoint}; it passes frames to the
 * {@link PusherHandler} (io.duplex.pusher), which speaks the protocol.
 */
@ServerEndpoint(value = "/app/{key}", configurator = PusherEndpointConfigurator.class)
public class PusherEndpoint {
    private static final Logger LOG = Logger.getLogger(PusherEndpoint.class.getName());

    private final PusherHandler handler;
    private final DuplexConfig config;
    private final Scheduler scheduler;
    private final HandshakeGuard guard;
    private PusherSocket socket;

    /** For a container that creates endpoints itself (see {@link DuplexEndpoint}'s constructor). */
    public PusherEndpoint() {
        this(CDI.current());
    }

    private PusherEndpoint(CDI<Object> cdi) {
        this(cdi.select(PusherHandler.class).get(), cdi.select(DuplexConfig.class).get(), cdi.select(Scheduler.class).get(),
                cdi.select(HandshakeGuard.class).get());
    }

    PusherEndpoint(PusherHandler handler, DuplexConfig config, Scheduler scheduler, HandshakeGuard guard) {
        this.handler = handler;
        this.config = config;
        this.scheduler = scheduler;
        this.guard = guard;
    }

    @OnOpen
    public void open(Session ws, @PathParam("key") String key) {
        Opening.Opened opened = Opening.open(ws, config, scheduler, guard);
        JakartaConnection connection = opened.connection();
        if (opened.refused() != null) {
            handler.refused(opened.refused(), connection::close);
            return;
        }
        List<String> protocol = ws.getRequestParameterMap().get("protocol");
        socket = handler.opened(connection, connection::close, key, protocol == null || protocol.isEmpty() ? null : protocol.get(0));
    }

    @OnMessage
    public void text(String frame) {
        if (socket != null) {
            handler.received(socket, frame);
        }
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        if (socket != null) {
            handler.receivedBinary(socket);
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (socket != null) {
            handler.receivedPong(socket);
        }
    }

    @OnClose
    public void close(Session ws, CloseReason reason) {
        if (socket != null) {
            handler.closed(socket, reason.getCloseCode().getCode());
        }
    }

    @OnError
    public void error(Session ws, Throwable failure) {
        Opening.failed(LOG, socket, failure);
    }
}
