package io.duplex.health;

import io.duplex.broker.Broker;
import io.duplex.config.Embedded;
import io.duplex.core.Node;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node should be sent new connections: what {@code /api/health/ready} (and {@code /api/health}) answers.
 * Ready while the node is accepting (not draining, not stopping) and its engine is reachable. Liveness is another
 * question, never asked of the engine: a node whose Redis is away is alive and waits for it; restarting it would not
 * bring Redis back. On the embedded server, draining before a stop is told by the server ({@link Embedded#DRAINING}).
 */
@ApplicationScoped
public class Readiness {
    private final Node node;
    private final Broker broker;
    /** The server's flag once the application has started; a flag nobody sets in a container. */
    private volatile AtomicBoolean draining = new AtomicBoolean();

    protected Readiness() {
        // for CDI's client proxy
        this.node = null;
        this.broker = null;
    }

    @Inject
    public Readiness(Node node, Broker broker) {
        this.node = node;
        this.broker = broker;
    }

    /** At start: the embedded server's draining flag, if it handed one over. */
    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        if (context.getAttribute(Embedded.DRAINING) instanceof AtomicBoolean flag) {
            draining = flag;
        }
    }

    /** One thing readiness depends on, as {@code /api/health/ready} shows it. */
    public record Check(String name, boolean up, String detail) {
    }

    /** Each thing readiness depends on, in a stable order. */
    public List<Check> checks() {
        boolean accepting = !draining.get() && !node.stopping();
        boolean engine = broker.healthy();
        return List.of(
                new Check("accepting", accepting, accepting ? "taking new connections"
                        : draining.get() ? "draining before a stop: new WebSocket connections are refused with 503" : "stopping"),
                new Check("engine", engine, broker.name() + (engine ? " reachable" : " unreachable")));
    }

    /** Whether every check is up. */
    public boolean ready() {
        return !draining.get() && !node.stopping() && broker.healthy();
    }
}
