package io.duplex.transport.ws;

import io.duplex.core.OutboundFrame;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * The fast path on Jetty's own WebSocket implementation, where the embedded server lets the application see it (see
 * {@link Connections}): the frames of one write go to Jetty's frame flusher together, all but the last in batch mode,
 * so that they leave in one system call; each payload is the frame's UTF-8 bytes, encoded once and shared by every
 * session the frame goes to. Pings are written without a thread to block. Everything else is the standard session's.
 * Only {@link Connections} refers to this class, and only after it found Jetty's classes: on another container it is
 * never loaded.
 */
final class JettyConnection extends JakartaConnection {
    private static final Logger LOG = Logger.getLogger(JettyConnection.class.getName());

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
        int last = frames.size() - 1;
        for (int i = 0; i < last; i++) {
            // Batched: copied into the flusher's buffer, written with the last. A failure of one fails the last too.
            core.sendFrame(frame(frames.get(i)), Callback.NOOP, true);
        }
        core.sendFrame(frame(frames.get(last)), Callback.from(() -> done.accept(null), done::accept), false);
    }

    private static Frame frame(OutboundFrame frame) {
        // Each session reads the shared bytes through its own view.
        return new Frame(OpCode.TEXT, true, frame.utf8().duplicate());
    }

    @Override
    public void ping() {
        core.sendFrame(new Frame(OpCode.PING), Callback.from(() -> { }, failure -> LOG.log(Level.FINE, "ping failed: {0}", failure.toString())),
                false);
    }
}
