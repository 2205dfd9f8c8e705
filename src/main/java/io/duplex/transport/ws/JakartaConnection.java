package io.duplex.transport.ws;

import io.duplex.core.Connection;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Connection} over a standard {@code jakarta.websocket} session: what every container runs. Frames are sent
 * one {@code sendText} at a time (Tomcat refuses a second while one is outstanding, and the standard way to write
 * several together, {@code flushBatch}, blocks).
 */
class JakartaConnection implements Connection {
    private static final Logger LOG = Logger.getLogger(JakartaConnection.class.getName());
    // Set by Jetty and Tomcat on every server session (the WebSocket API itself has no remote address).
    private static final String REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

    final Session session;
    private final Executor blocking;
    private final String remote;
    private final String remoteHost;

    JakartaConnection(Session session, Executor blocking) {
        this.session = session;
        this.blocking = blocking;
        Object address = session.getUserProperties().get(REMOTE_ADDRESS);
        if (address instanceof InetSocketAddress inet) {
            this.remoteHost = inet.getHostString();
            this.remote = remoteHost + ":" + inet.getPort();
        } else {
            this.remoteHost = null;
            this.remote = address == null ? "unknown" : address.toString();
        }
    }

    /** The client's IP address (or host), without the port; null when the container does not tell. */
    String remoteHost() {
        return remoteHost;
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        new Sequence(session.getAsyncRemote(), frames, done).next();
    }

    /** Sends frames one after the other, each started by the completion of the one before. */
    private static final class Sequence {
        private final RemoteEndpoint.Async remote;
        private final List<OutboundFrame> frames;
        private final Consumer<Throwable> done;
        private int index;

        Sequence(RemoteEndpoint.Async remote, List<OutboundFrame> frames, Consumer<Throwable> done) {
            this.remote = remote;
            this.frames = frames;
            this.done = done;
        }

        /** Sends the next frame; loops rather than recursing when the container completes a send inside sendText. */
        void next() {
            while (true) {
                OutboundFrame frame = frames.get(index++);
                boolean last = index == frames.size();
                // 0: sending; 1: sendText returned first; 2: the completion ran first. Whoever comes second goes on.
                AtomicInteger phase = new AtomicInteger();
                try {
                    remote.sendText(frame.text(), result -> {
                        if (!result.isOK()) {
                            done.accept(result.getException());
                        } else if (last) {
                            done.accept(null);
                        } else if (phase.getAndSet(2) == 1) {
                            next();
                        }
                    });
                } catch (RuntimeException e) {
                    // Closed meanwhile: the container refuses the send instead of failing it.
                    done.accept(e);
                    return;
                }
                if (last || phase.getAndSet(1) != 2) {
                    return;
                }
            }
        }
    }

    @Override
    public void ping() {
        run(() -> {
            try {
                session.getAsyncRemote().sendPing(Ping.payload());
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.FINE, "ping failed: {0}", e.toString());
            }
        });
    }

    @Override
    public void close(DisconnectReason reason) {
        close(reason.code(), reason.reason());
    }

    /** Closes with a code of another door's protocol (Pusher's 4001…4201), without blocking the caller. */
    void close(int code, String phrase) {
        run(() -> {
            try {
                if (session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), phrase));
                }
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.FINE, "close failed: {0}", e.toString());
            }
        });
    }

    void run(Runnable task) {
        try {
            blocking.execute(task);
        } catch (RejectedExecutionException e) {
            // The application is stopping and its threads are gone; the container closes what is left.
            LOG.log(Level.FINE, "not run, application stopping: {0}", e.toString());
        }
    }

    @Override
    public String remoteAddress() {
        return remote;
    }
}
