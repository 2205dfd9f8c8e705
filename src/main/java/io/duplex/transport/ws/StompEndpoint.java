package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import io.duplex.stomp.door.StompHandler;
import io.duplex.stomp.door.StompSession;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Logger;

/**
 * The STOMP door, {@code /stomp}: STOMP 1.2 (and 1.1, 1.0) over WebSocket, one instance per connection, written only
 * against {@code jakarta.websocket} like {@link DuplexEndpoint}, with the same handshake checks ({@link HandshakeGuard}).
 * Text and binary messages alike carry frames; {@link StompHandler} reads and carries them out.
 */
@ServerEndpoint(value = "/stomp", subprotocols = {"v12.stomp", "v11.stomp", "v10.stomp"}, configurator = EndpointConfigurator.class)
public class StompEndpoint {
    private static final Logger LOG = Logger.getLogger(StompEndpoint.class.getName());

    private final StompHandler handler;
    private final DuplexConfig config;
    private final Scheduler scheduler;
    private final HandshakeGuard guard;
    private StompSession session;

    /** For a container that creates endpoints itself; see {@link DuplexEndpoint#DuplexEndpoint()}. */
    public StompEndpoint() {
        this(CDI.current());
    }

    private StompEndpoint(CDI<Object> cdi) {
        this(cdi.select(StompHandler.class).get(), cdi.select(DuplexConfig.class).get(), cdi.select(Scheduler.class).get(),
                cdi.select(HandshakeGuard.class).get());
    }

    /** {@link EndpointConfigurator}'s way: collaborators it looked up once. */
    StompEndpoint(StompHandler handler, DuplexConfig config, Scheduler scheduler, HandshakeGuard guard) {
        this.handler = handler;
        this.config = config;
        this.scheduler = scheduler;
        this.guard = guard;
    }

    @OnOpen
    public void open(Session ws) {
        Opening.Opened opened = Opening.open(ws, config, scheduler, guard);
        if (opened.refused() != null) {
            opened.connection().close(opened.refused());
            handler.refused(opened.refused());
            return;
        }
        String token = bearer(opened.authorization());
        if (token == null) {
            List<String> query = ws.getRequestParameterMap().get("token");
            token = query == null || query.isEmpty() ? null : query.get(0);
        }
        session = handler.opened(opened.connection(), token);
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    }

    @OnMessage
    public void text(String message) {
        if (session != null) {
            handler.received(session, message.getBytes(StandardCharsets.UTF_8));
        }
    }

    @OnMessage
    public void binary(ByteBuffer message) {
        if (session != null) {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            handler.received(session, bytes);
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (session != null) {
            handler.receivedPong(session);
        }
    }

    @OnClose
    public void close(Session ws, CloseReason reason) {
        if (session != null) {
            handler.closed(session, reason.getCloseCode().getCode());
        }
    }

    @OnError
    public void error(Session ws, Throwable failure) {
        Opening.failed(LOG, session, failure);
    }
}
