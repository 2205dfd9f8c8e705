package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeCounters;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the MQTT bridge has done since it started: every bridge's counters, and its reconnections. */
final class Counters extends BridgeCounters {
    /** Connections made to the broker after the first. */
    final LongAdder reconnects = new LongAdder();

    @Override
    public Map<String, Long> snapshot(boolean inbound, boolean outbound) {
        Map<String, Long> map = super.snapshot(inbound, outbound);
        map.put("reconnects", reconnects.sum());
        return map;
    }
}
