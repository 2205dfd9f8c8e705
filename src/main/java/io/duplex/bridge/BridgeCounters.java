package io.duplex.bridge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a bridge has done since it started, as /api/health's bridges[].counters and /metrics'
 * duplex_bridge_messages_total show it: the same names for every bridge, so that one dashboard row and one alert serve
 * them all. A bridge with more to count extends it.
 */
public class BridgeCounters {
    /** Messages (records) from the outside system published to channels. */
    public final LongAdder in = new LongAdder();
    /** Messages received again (a redelivery after a crash, a rebalance, a reconnection) that subscribers had already had. */
    public final LongAdder redelivered = new LongAdder();
    /** Messages that could not become a channel message (no valid channel, too large, not text), skipped. */
    public final LongAdder skipped = new LongAdder();
    /** Messages this Duplex sent out itself and received back through its own subscriptions, not published again. */
    public final LongAdder own = new LongAdder();
    /** Channel messages sent to the outside system and taken by it. */
    public final LongAdder out = new LongAdder();
    /** Publishes refused before any subscriber saw them, because the outside system was unreachable (*.out.unavailable=fail). */
    public final LongAdder refused = new LongAdder();
    /** Channel messages accepted but not taken by the outside system (buffer full, *.out.timeout passed, node stopped). */
    public final LongAdder dropped = new LongAdder();

    /** The counters of the directions the bridge runs, in a stable order. */
    public Map<String, Long> snapshot(boolean inbound, boolean outbound) {
        Map<String, Long> map = new LinkedHashMap<>();
        if (inbound) {
            map.put("in", in.sum());
            map.put("redelivered", redelivered.sum());
            map.put("skipped", skipped.sum());
            map.put("own", own.sum());
        }
        if (outbound) {
            map.put("out", out.sum());
            map.put("refused", refused.sum());
            map.put("dropped", dropped.sum());
        }
        return map;
    }
}
