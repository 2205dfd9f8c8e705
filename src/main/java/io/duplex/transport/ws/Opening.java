package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import io.duplex.error.DisconnectReason;
import jakarta.websocket.Session;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every endpoint ({@code /ws}, {@code /stomp}, {@code /app/{key}}) does the same way: set the container's limits
 * on a new connection, wrap it, check the handshake ({@link HandshakeGuard}), and log what the container raises.
 */
final class Opening {
    private Opening() {
    }

    /**
     * A connection just opened.
     *
     * @param refused       why the handshake is refused (closed before any frame is read), or null
     * @param authorization the handshake's {@code Authorization} header, or null
     */
    record Opened(JakartaConnection connection, DisconnectReason refused, String authorization) {
    }

    static Opened open(Session ws, DuplexConfig config, Scheduler scheduler, HandshakeGuard guard) {
        ws.setMaxTextMessageBufferSize(config.frameMaxBytes());
        // Binary frames are the door's to answer; the same size limit as text decides when to close.
        ws.setMaxBinaryMessageBufferSize(config.frameMaxBytes());
        ws.setMaxIdleTimeout(idleTimeout(config).toMillis());
        JakartaConnection connection = Connections.open(ws, scheduler.blocking(), config.wsNativeApi());
        Map<String, Object> properties = ws.getUserProperties();
        DisconnectReason refused = guard.check((String) properties.get(EndpointConfigurator.ORIGIN),
                (URI) properties.get(EndpointConfigurator.REQUEST_URI), connection.remoteHost());
        String authorization = (String) properties.get(EndpointConfigurator.AUTHORIZATION);
        // What the handshake noted (ours, and the container's addresses and locales) is read: an idle connection
        // should not keep it for its lifetime, times every connection.
        properties.clear();
        return new Opened(connection, refused, authorization);
    }

    /**
     * The connections' idle timeout. The heartbeat closes silent clients first, with 4004; the container's idle timeout
     * is only a backstop.
     */
    static Duration idleTimeout(DuplexConfig config) {
        return Duration.ofMillis((config.heartbeatInterval().toMillis() + config.heartbeatTimeout().toMillis()) * 2);
    }

    /**
     * An {@code @OnError}. Frames over the limit, broken protocol, idle timeouts and dropped connections are raised by
     * the container: it closes the connection (1009, 1002, 1001, 1006) and {@code @OnClose} cleans up. Only a failure
     * raised in Duplex's own code is worth a stack trace.
     */
    static void failed(Logger log, Object session, Throwable failure) {
        if (raisedByDuplex(failure)) {
            log.log(Level.WARNING, "WebSocket error on " + session, failure);
        } else {
            log.log(Level.FINE, "{0}: {1}", new Object[] {session, failure.toString()});
        }
    }

    /** Whether the failure was thrown by Duplex's code: the first frame that is not the JDK's is ours. */
    static boolean raisedByDuplex(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            String name = frame.getClassName();
            if (!(name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun."))) {
                return name.startsWith("io.duplex.");
            }
        }
        return false;
    }
}
