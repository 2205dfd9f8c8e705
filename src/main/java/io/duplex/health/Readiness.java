package io.duplex.health;

import io.duplex.bridge.BridgeStatus;
import io.duplex.bridge.Bridges;
import io.duplex.broker.Broker;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Embedded;
import io.duplex.core.Node;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node should be sent new connections: what {@code /api/health/ready} (and {@code /api/health}) answers.
 * Ready while the node is accepting (not draining, not stopping), its engine is reachable and each bridge that
 * {@code bridges.required} names is up (a bridge not named there never makes the node unready: a Kafka outage must not
 * take every node out of the load balancer unless the operator says the node is useless without Kafka). Liveness is another
 * question, never asked of the engine: a node whose Redis is away is alive and waits for it; restarting it would not
 * bring Redis back. On the embedded server, draining before a stop is told by the server ({@link Embedded#DRAINING}).
 */
@ApplicationScoped
public class Readiness {
    private final Node node;
    private final Broker broker;
    private final Bridges bridges;
    private final List<String> required;
    /** The server's flag once the application has started; a flag nobody sets in a container. */
    private volatile AtomicBoolean draining = new AtomicBoolean();

    protected Readiness() {
        // for CDI's client proxy
        this.node = null;
        this.broker = null;
        this.bridges = null;
        this.required = null;
    }

    @Inject
    public Readiness(Node node, Broker broker, Bridges bridges, DuplexConfig config) {
        this.node = node;
        this.broker = broker;
        this.bridges = bridges;
        this.required = config.bridgesRequired();
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
        List<Check> checks = new ArrayList<>(2 + required.size());
        checks.add(new Check("accepting", accepting, accepting ? "taking new connections"
                : draining.get() ? "draining before a stop: new WebSocket connections are refused with 503" : "stopping"));
        checks.add(new Check("engine", engine, broker.name() + (engine ? " reachable" : " unreachable")));
        for (String name : required) {
            BridgeStatus status = bridge(name);
            boolean up = status != null && status.state() == BridgeStatus.State.UP;
            checks.add(new Check("bridge:" + name, up, status == null ? name + " is not running"
                    : status.state().label() + ": " + status.detail()));
        }
        return checks;
    }

    /** Whether every check is up. */
    public boolean ready() {
        if (draining.get() || node.stopping() || !broker.healthy()) {
            return false;
        }
        for (String name : required) {
            BridgeStatus status = bridge(name);
            if (status == null || status.state() != BridgeStatus.State.UP) {
                return false;
            }
        }
        return true;
    }

    /** The status of the running bridge of that name, or null when it does not run (not started, or stopped). */
    private BridgeStatus bridge(String name) {
        for (BridgeStatus status : bridges.statuses()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }
}
