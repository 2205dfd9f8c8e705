package io.duplex.bridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A bridge as /api/health shows it: its name, its state, one line saying why, its counters (records in, skipped,
 * out, dropped...) in a stable order, and its backlog: how many messages wait in the outside system for this node
 * (Kafka: the consumer's lag summed over the partitions it owns). The backlog is empty where a bridge has no such figure
 * (it only sends, or the outside system does not say) or does not know it now (not connected): a figure it cannot vouch
 * for is not shown, rather than shown as 0.
 */
public record BridgeStatus(String name, State state, String detail, Map<String, Long> counters, OptionalLong backlog) {

    /** Where a bridge stands. */
    public enum State {
        /** Started, not yet connected. */
        STARTING,
        /** Connected and working. */
        UP,
        /** The outside system is unreachable; the bridge reconnects by itself. */
        DOWN,
        /** Stopped for a reason that needs an operator (the detail says which); it does not retry. */
        FAILED,
        /** Stopped with the node. */
        STOPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public BridgeStatus {
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        if (backlog.isPresent() && backlog.getAsLong() < 0) {
            throw new IllegalArgumentException("a backlog is a count of messages, not " + backlog.getAsLong());
        }
    }

    /** A bridge with no backlog to report (the one figure most bridges do not have). */
    public BridgeStatus(String name, State state, String detail, Map<String, Long> counters) {
        this(name, state, detail, counters, OptionalLong.empty());
    }
}
