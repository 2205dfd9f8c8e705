package io.duplex.transport.ws;

import io.duplex.core.OutboundFrame;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;

/**
 * The fast path on Jetty's own WebSocket implementation for the Jakarta endpoints ({@code /stomp}, {@code /app/{key}};
 * {@code /ws} has {@link NativeEndpoint} there) where the embedded server lets the application see Jetty's classes (see
 * {@link Connections}): frames are written as {@link JettyFrames} says; everything else is the standard session's.
 * Only {@link Connections} refers to this class, and only after it found Jetty's classes: on another container it is
 * never loaded.
 */
final class JettyConnection extends JakartaConnection {
    private final CoreSession core;

    JettyConnection(Session session, Executor blocking) {
        super(session, blocking);
        this.core = ((JakartaWebSocketSession) session).getCoreSession();
    }

    /** Whether the session is one of Jetty's. */
    static boolean isJetty(Session session) {
        return session instanceof JakartaWebSocketSession;
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        JettyFrames.send(core, frames, done);
    }

    @Override
    public void ping() {
        JettyFrames.ping(core);
    }
}
