package io.duplex.transport.ws;

import io.duplex.core.OutboundFrame;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * How frames are written on Jetty's own WebSocket API, for both ways in ({@link JettyConnection} under a Jakarta
 * endpoint, {@link NativeConnection} under {@link NativeEndpoint}): the frames of one write go to Jetty's frame flusher
 * together, all but the last in batch mode, so that they leave in one system call; each payload is the frame's UTF-8
 * bytes, encoded once and shared by every session the frame goes to. Pings are written without a thread to block.
 */
final class JettyFrames {
    private static final Logger LOG = Logger.getLogger(JettyFrames.class.getName());

    private JettyFrames() {
    }

    static void send(CoreSession core, List<OutboundFrame> frames, Consumer<Throwable> done) {
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

    static void ping(CoreSession core) {
        core.sendFrame(new Frame(OpCode.PING, Ping.payload()), Callback.from(() -> { }, failure -> LOG.log(Level.FINE, "ping failed: {0}", failure.toString())),
                false);
    }
}
