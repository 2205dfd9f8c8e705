package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.ClientSession;
import io.duplex.core.ConnectionHandler;
import io.duplex.core.Scheduler;
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
import java.util.logging.Logger;

/**
 * The WebSocket door, {@code /ws}: one instance per connection, written only against {@code jakarta.websocket}.
 * It passes frames to the {@link ConnectionHandler} and owns nothing but the link to its session.
 *
 * <p>It keeps the rules {@code jakarta.websocket} sets for annotated endpoints (public, concrete, a public
 * no-argument constructor), which some servers check when the application deploys (Open Liberty refuses to
 * start it otherwise) whatever the configurator does; {@code EndpointRulesTest} holds every endpoint to them.
 */
@ServerEndpoint(value = "/ws", configurator = EndpointConfigurator.class)
public class DuplexEndpoint {
    private static final Logger LOG = Logger.getLogger(DuplexEndpoint.class.getName());

    private final ConnectionHandler handler;
    private final DuplexConfig config;
    private final Scheduler scheduler;
    private final HandshakeGuard guard;
    private ClientSession session;

    /**
     * For a container that creates endpoints itself (the rule above). Not every container injects into endpoints,
     * so the collaborators are looked up in CDI, which every container has by then. {@link EndpointConfigurator}
     * does not come this way: it looks them up once per deployment and uses the constructor below.
     */
    public DuplexEndpoint() {
        this(CDI.current());
    }

    private DuplexEndpoint(CDI<Object> cdi) {
        this(cdi.select(ConnectionHandler.class).get(), cdi.select(DuplexConfig.class).get(), cdi.select(Scheduler.class).get(),
                cdi.select(HandshakeGuard.class).get());
    }

    /** {@link EndpointConfigurator}'s way: collaborators it looked up once. */
    DuplexEndpoint(ConnectionHandler handler, DuplexConfig config, Scheduler scheduler, HandshakeGuard guard) {
        this.handler = handler;
        this.config = config;
        this.scheduler = scheduler;
        this.guard = guard;
    }

    @OnOpen
    public void open(Session ws) {
        Opening.Opened opened = Opening.open(ws, config, scheduler, guard);
        if (opened.refused() != null) {
            // Closed before a frame is read: nothing the client sends is ever seen.
            opened.connection().close(opened.refused());
            handler.refused(opened.refused());
            return;
        }
        session = handler.opened(opened.connection());
    }

    @OnMessage
    public void text(String frame) {
        if (session != null) {
            handler.received(session, frame);
        }
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        if (session != null) {
            handler.receivedBinary(session);
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
