package io.duplex.metrics;

import io.duplex.bridge.BridgeStatus;
import io.duplex.bridge.Bridges;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bridges' meters, read from what each bridge reports of itself ({@link Bridges#statuses()}, the same figures
 * /api/health shows): {@code duplex_bridge_up{bridge}} and {@code duplex_bridge_messages_total{bridge,counter}} (Kafka:
 * in, redelivered, skipped, own, out, refused, dropped) and, for a bridge that knows how far behind it is,
 * {@code duplex_bridge_backlog_messages{bridge}} (Kafka: the consumer's lag; NaN while the bridge does not know it, e.g.
 * with Kafka unreachable, so that an alert on it neither fires nor clears on a made-up 0). A bridge knows its counters
 * (and whether it has a backlog) only once it runs, so they are registered when a scrape first sees them, once each
 * (Micrometer warns, in the operator's log, when a gauge is registered again); their values are read at each scrape,
 * and nothing is counted twice. Label values are bridge names and the bridges' own
 * counter names: few, and fixed by code.
 */
@ApplicationScoped
public class BridgeMeters {
    private final MeterRegistry registry;
    private final Bridges bridges;
    /** The meters registered so far: "bridge", "bridge backlog", "bridge counter NAME". */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    protected BridgeMeters() {
        // for CDI's client proxy
        this.registry = null;
        this.bridges = null;
    }

    @Inject
    public BridgeMeters(Metrics metrics, Bridges bridges) {
        this.registry = metrics.registry();
        this.bridges = bridges;
    }

    /** Before a scrape: registers the meters of any bridge, or counter, not seen yet. */
    void refresh() {
        for (BridgeStatus status : bridges.statuses()) {
            String name = status.name();
            if (registered.add(name)) {
                registerUp(name);
            }
            if (status.backlog().isPresent() && registered.add(name + " backlog")) {
                registerBacklog(name);
            }
            for (String counter : status.counters().keySet()) {
                if (registered.add(name + " counter " + counter)) {
                    registerCounter(name, counter);
                }
            }
        }
    }

    private void registerUp(String name) {
        Gauge.builder("duplex.bridge.up", bridges, b -> state(b, name) == BridgeStatus.State.UP ? 1 : 0)
                .description("1 while the bridge is connected and working, 0 while it is starting, down (the outside system "
                        + "unreachable) or failed")
                .tag("bridge", name)
                .register(registry);
    }

    private void registerBacklog(String name) {
        // The base unit makes Prometheus's name end in _messages, as its conventions ask of a gauge with a unit.
        Gauge.builder("duplex.bridge.backlog", bridges, b -> backlog(b, name))
                .description("Messages waiting in the outside system for this node, as /api/health's bridges[].backlog "
                        + "(Kafka: the consumer's lag summed over the partitions this node owns); NaN while not known")
                .baseUnit(BaseUnits.MESSAGES)
                .tag("bridge", name)
                .register(registry);
    }

    private void registerCounter(String name, String counter) {
        FunctionCounter.builder("duplex.bridge.messages", bridges, b -> count(b, name, counter))
                .description("What the bridge did since the node started, as /api/health's bridges[].counters: records in "
                        + "(published to channels), redelivered, skipped, own; messages out (to the outside system), "
                        + "refused, dropped")
                .tag("bridge", name)
                .tag("counter", counter)
                .register(registry);
    }

    private static BridgeStatus.State state(Bridges bridges, String name) {
        for (BridgeStatus status : bridges.statuses()) {
            if (status.name().equals(name)) {
                return status.state();
            }
        }
        return BridgeStatus.State.STOPPED;
    }

    private static double backlog(Bridges bridges, String name) {
        for (BridgeStatus status : bridges.statuses()) {
            if (status.name().equals(name) && status.backlog().isPresent()) {
                return status.backlog().getAsLong();
            }
        }
        return Double.NaN;
    }

    private static double count(Bridges bridges, String name, String counter) {
        for (BridgeStatus status : bridges.statuses()) {
            if (status.name().equals(name)) {
                Map<String, Long> counters = status.counters();
                Long value = counters.get(counter);
                return value == null ? Double.NaN : value;
            }
        }
        return Double.NaN;
    }
}
