package io.duplex.bridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bridge as /api/health shows it: its name, its state, one line saying why, and its counters (records in, skipped,
 * out, dropped...), in a stable order.
 */
public record BridgeStatus(String name, State state, String detail, Map<String, Long> counters) {

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
    }
}
