package io.duplex.app;

import io.duplex.bridge.Bridges;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.config.Embedded;
import io.duplex.config.Mode;
import io.duplex.config.Setting;
import io.duplex.core.Heartbeat;
import io.duplex.core.Node;
import io.duplex.security.TokenVerifier;
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
            Heartbeat heartbeat, Version version, TokenVerifier tokens, Bridges bridges) {
        // Reads the token keys now: a key file that cannot be used fails the start, not the first connect.
        boolean checksTokens = tokens.enabled();
        node.start();
        heartbeat.start();
        bridges.start(node);
        // The embedded server closes the sessions itself before it stops (EmbeddedServer.close); a container ignores this.
        // Bridges first, as at the stop below: nothing comes in from outside while sessions close.
        context.setAttribute(Embedded.CLOSE_SESSIONS, (Runnable) () -> {
            bridges.stop();
            node.shutdown();
        });
        // The container knows its host and port; the application knows its paths.
        String root = context.getContextPath();
        LOG.info(() -> "Duplex " + version.value() + " ready at " + (root.isEmpty() ? "/" : root) + ": REST " + root + "/api, WebSocket "
                + root + "/ws, STOMP " + root + "/stomp, OpenAPI " + root + "/api/openapi.json; engine " + node.engine() + " (history "
                + config.historySize() + " messages / " + Durations.format(config.historyTtl()) + " per channel)"
                + (config.bridges().isEmpty() ? "" : ", bridges " + String.join(", ", config.bridges())) + ", mode "
                + config.mode().label() + "; " + security(config, checksTokens)
                + (node.healthy() ? "" : "; the engine is not reachable yet: /api/health answers 503 until it is"));
        if (!config.pusher().apps().isEmpty()) {
            // Apps by id only: the setting that names them also holds their secrets.
            LOG.info(() -> "Pusher Channels protocol 7 at " + root + "/app/{key} and " + root + "/apps/{id} for app "
                    + config.pusher().apps().stream().map(a -> a.id() + (a.enabled() ? "" : " (disabled)"))
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (config.engine().equals("memory") && !config.redisUri().value().equals(Setting.REDIS_URI.defaultValue())) {
            LOG.warning("redis.uri is set but engine is memory: the URI is not used; add engine=redis (--engine redis) to "
                    + "share channels through that Redis");
        }
        if (config.mode() == Mode.DEV) {
            LOG.warning(checksTokens || config.auth().api()
                    ? "DEV MODE: plain ws:// and http:// are allowed; --mode production refuses them"
                    : "DEV MODE: no authentication (anyone may connect, subscribe, publish and use the REST API) and plain "
                            + "ws:// are allowed; do not expose this node to untrusted networks (see --mode production)");
        }
    }

    /** What protects this node, for the start line: never a key itself. */
    private static String security(DuplexConfig config, boolean checksTokens) {
        DuplexConfig.Auth auth = config.auth();
        String tokens = checksTokens ? "tokens checked" : "no token check";
        String api = auth.apiKeys().isEmpty() ? (checksTokens ? "REST by token" : "REST open")
                : "REST by API key (" + auth.apiKeys().size() + (auth.apiKeys().size() == 1 ? " key" : " keys") + ") or token";
        return tokens + ", " + api + (auth.readOpen() ? ", channel reads open" : "");
    }

    void stopping(@Observes @BeforeDestroyed(ApplicationScoped.class) ServletContext context, Node node, Heartbeat heartbeat,
            Bridges bridges) {
        // Bridges first: nothing comes in from outside while sessions close, and what went out is flushed.
        bridges.stop();
        heartbeat.stop();
        node.shutdown();
    }
}
