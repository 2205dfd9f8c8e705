package io.duplex.transport.ws;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Embedded;
import io.duplex.core.ConnectionHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts {@code /ws} on Jetty's core WebSocket API ({@link NativeEndpoint}) when the application runs on the embedded
 * server, which shows the WAR Jetty's WebSocket classes, and {@code ws.api} is {@code native} (the default). Everywhere
 * else (a standalone Jetty hides them, other containers have none) {@link DuplexEndpoint} serves {@code /ws} on the
 * standard API, as it does with {@code ws.api=standard}. The Jakarta layer is what a connection costs most of besides
 * the socket: Jetty discovers the annotated endpoint and binds method handles to it for every connection (30–35% of an
 * upgrade in a profile) and keeps per-session encoders, decoders and handles (docs/performance.md).
 *
 * <p>Installed when the application has started, that is after Jetty's Jakarta container mapped its endpoints: the
 * native mapping replaces the one of {@link DuplexEndpoint} for the same path.
 */
@ApplicationScoped
public class NativeDoor {
    private static final Logger LOG = Logger.getLogger(NativeDoor.class.getName());
    /** The context attribute under which Jetty keeps a context's WebSocket mappings ({@code WebSocketMappings}). */
    private static final String MAPPINGS = "org.eclipse.jetty.websocket.core.server.WebSocketMappings";
    private static final String[] JETTY_CLASSES = {
        MAPPINGS,
        "org.eclipse.jetty.websocket.core.FrameHandler",
        "org.eclipse.jetty.http.pathmap.PathSpec",
        "org.eclipse.jetty.http.HttpFields",
        "org.eclipse.jetty.server.ConnectionMetaData",
        "org.eclipse.jetty.util.Callback",
    };

    private final ConnectionHandler handler;
    private final DuplexConfig config;
    private final HandshakeGuard guard;
    private final Duration idleTimeout;

    protected NativeDoor() {
        // for CDI's client proxy
        this.handler = null;
        this.config = null;
        this.guard = null;
        this.idleTimeout = null;
    }

    @Inject
    public NativeDoor(ConnectionHandler handler, DuplexConfig config, HandshakeGuard guard) {
        this.handler = handler;
        this.config = config;
        this.guard = guard;
        this.idleTimeout = Opening.idleTimeout(config);
    }

    /** The connections' idle timeout, worked out once: Duration's arithmetic was a few percent of an upgrade. */
    Duration idleTimeout() {
        return idleTimeout;
    }

    ConnectionHandler handler() {
        return handler;
    }

    DuplexConfig config() {
        return config;
    }

    HandshakeGuard guard() {
        return guard;
    }

    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        Object mappings = context.getAttribute(MAPPINGS);
        if (!config.wsNativeApi() || mappings == null || !Connections.visible(JETTY_CLASSES)) {
            return;
        }
        try {
            NativeMapping.install(mappings, context.getContextPath(), this);
            // The embedded server now upgrades /ws ahead of the servlet layer (io.duplex.server.NativeUpgrades).
            context.setAttribute(Embedded.NATIVE_WS, Boolean.TRUE);
        } catch (RuntimeException | LinkageError e) {
            // The standard endpoint still serves /ws: slower, not broken.
            LOG.log(Level.WARNING, "/ws stays on the standard jakarta.websocket API: Jetty's own could not be used (" + e + ")", e);
        }
    }
}
