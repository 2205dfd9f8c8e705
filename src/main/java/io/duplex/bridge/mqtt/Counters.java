package io.duplex.bridge.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the MQTT bridge has done since it started, as /api/health shows it. */
final class Counters {
    /** MQTT messages published to channels. */
    final LongAdder in = new LongAdder();
    /** Messages received again (a redelivery after a restart or reconnection) that subscribers had already had. */
    final LongAdder redelivered = new LongAdder();
    /** Messages that could not become a channel message (no valid channel, too large, not text), skipped. */
    final LongAdder skipped = new LongAdder();
    /** Messages this Duplex published to MQTT itself and received back through its own filters, not published again. */
    final LongAdder own = new LongAdder();
    /** Channel messages published to MQTT and taken by the broker. */
    final LongAdder out = new LongAdder();
    /** Publishes refused before any subscriber saw them, because the broker was unreachable (mqtt.out.unavailable=fail). */
    final LongAdder refused = new LongAdder();
    /** Channel messages accepted but not taken by the broker (buffer full, mqtt.out.timeout passed, node stopped). */
    final LongAdder dropped = new LongAdder();
    /** Connections made to the broker after the first. */
    final LongAdder reconnects = new LongAdder();

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
        map.put("reconnects", reconnects.sum());
        return map;
    }
}
