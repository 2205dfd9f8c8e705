package io.duplex.app;

import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.core.Heartbeat;
import io.duplex.core.Node;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;
import java.util.logging.Logger;

/** Starts the node when the application starts and closes its sessions, with 1001, when it stops. */
@ApplicationScoped
public class Lifecycle {
    private static final Logger LOG = Logger.getLogger("io.duplex");

    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context, DuplexConfig config, Node node,
            Heartbeat heartbeat, Version version) {
        node.start();
        heartbeat.start();
        // The container knows its host and port; the application knows its paths.
        String root = context.getContextPath();
        LOG.info(() -> "Duplex " + version.value() + " ready at " + (root.isEmpty() ? "/" : root) + ": REST " + root + "/api, WebSocket "
                + root + "/ws, OpenAPI " + root + "/api/openapi.json; engine " + node.engine() + " (history "
                + config.historySize() + " messages / " + Durations.format(config.historyTtl()) + " per channel), mode dev");
        LOG.warning("DEV MODE: no authentication and plain ws:// are allowed; do not expose this node to untrusted networks");
    }

    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) ServletContext context, Node node, Heartbeat heartbeat) {
        heartbeat.stop();
        node.shutdown();
    }
}
