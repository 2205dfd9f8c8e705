package io.duplex.bridge.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the Kafka bridge has done since it started, as /api/health shows it. */
final class Counters {
    /** Records published to channels. */
    final LongAdder in = new LongAdder();
    /** Records received again (a redelivery after a crash or rebalance) that subscribers had already had. */
    final LongAdder redelivered = new LongAdder();
    /** Records that could not become a message (bad channel, too large, not text), skipped. */
    final LongAdder skipped = new LongAdder();
    /** Records this Duplex produced itself, read back from a topic it also consumes, and not published again. */
    final LongAdder own = new LongAdder();
    /** Messages produced to Kafka and acknowledged. */
    final LongAdder out = new LongAdder();
    /** Messages refused before any subscriber saw them, because Kafka was unreachable (kafka.out.unavailable=fail). */
    final LongAdder refused = new LongAdder();
    /** Messages accepted on a channel but not taken by Kafka (buffer full or kafka.out.timeout passed). */
    final LongAdder dropped = new LongAdder();

    Map<String, Long> snapshot(boolean inbound, boolean outbound) {
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
