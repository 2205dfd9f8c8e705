package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Mode;
import io.duplex.error.DisconnectReason;
import io.duplex.security.AddressRateLimiter;
import io.duplex.security.OriginPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.logging.Logger;

/**
 * Decides whether a new WebSocket connection may be used, before any of its frames is read: its web origin
 * ({@code origins}), its transport (production mode wants wss://) and its address's handshake rate
 * ({@code handshake.rate}). The standard API cannot refuse a handshake with a status of our choosing, so
 * a refused connection is closed at once with a code that says why (1008, 4005); a browser can read a
 * close code, while a refused handshake shows it only an opaque failure.
 */
@ApplicationScoped
public class HandshakeGuard {
    private static final Logger LOG = Logger.getLogger(HandshakeGuard.class.getName());
    private static final long SWEEP_NANOS = 10_000_000_000L;

    private final OriginPolicy origins;
    private final AddressRateLimiter handshakes;
    private final boolean production;
    private volatile long lastSweep = System.nanoTime();

    protected HandshakeGuard() {
        // for CDI's client proxy
        this.origins = null;
        this.handshakes = null;
        this.production = false;
    }

    @Inject
    public HandshakeGuard(DuplexConfig config) {
        this.origins = new OriginPolicy(config.auth().origins(), config.mode());
        this.handshakes = new AddressRateLimiter(config.limits().handshakeRate());
        this.production = config.mode() == Mode.PRODUCTION;
    }

    /** Why the connection must be closed, or null when it may go on. */
    DisconnectReason check(String origin, URI request, String address) {
        long now = System.nanoTime();
        if (now - lastSweep > SWEEP_NANOS) {
            lastSweep = now;
            handshakes.sweep(now);
        }
        if (address != null && !handshakes.tryAcquire(address, now)) {
            // No log line: a flood would turn into a flood of lines. The close code tells the client.
            return DisconnectReason.HANDSHAKE_RATE_LIMIT;
        }
        if (production && !secure(request)) {
            return refused(DisconnectReason.NOT_SECURE, address, "plain ws:// in production mode");
        }
        if (!origins.allows(origin, request)) {
            return refused(DisconnectReason.ORIGIN_NOT_ALLOWED, address, "origin " + origin + " is not allowed");
        }
        return null;
    }

    private static boolean secure(URI request) {
        return request != null && ("wss".equalsIgnoreCase(request.getScheme()) || "https".equalsIgnoreCase(request.getScheme()));
    }

    private static DisconnectReason refused(DisconnectReason reason, String address, String why) {
        LOG.info(() -> "WebSocket from " + address + " refused with " + reason.code() + ": " + why);
        return reason;
    }
}
