package io.duplex.transport.ws;

import io.duplex.core.Connection;
import io.duplex.error.DisconnectReason;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A {@link Connection} over a standard {@code jakarta.websocket} session. */
final class JakartaConnection implements Connection {
    private static final Logger LOG = Logger.getLogger(JakartaConnection.class.getName());
    // Set by Jetty and Tomcat on every server session (the WebSocket API itself has no remote address).
    private static final String REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

    private final Session session;
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
    public void send(String text, Consumer<Throwable> done) {
        session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
    }

    @Override
    public void ping() {
        run(() -> {
            try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.FINE, "ping failed: {0}", e.toString());
            }
        });
    }

    @Override
    public void close(DisconnectReason reason) {
        run(() -> {
            try {
                if (session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(reason.code()), reason.reason()));
                }
            } catch (IOException | IllegalStateException e) {
                LOG.log(Level.FINE, "close failed: {0}", e.toString());
            }
        });
    }

    private void run(Runnable task) {
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
