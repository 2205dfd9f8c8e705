package io.duplex.transport.ws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the node's WebSocket pings carry, on every API. Not nothing, on purpose: Jetty's frame flusher, compiled on the
 * frames it writes all the time (text, never empty), left its compiled code at every empty payload (an "unstable if"
 * deoptimization the JIT did not compile away: 676 in one 20 s flight recording), so a heartbeat round of 1,000 pings
 * held deliveries up for ~100 ms on one core.
 */
final class Ping {
    private static final byte[] PAYLOAD = "duplex".getBytes(StandardCharsets.US_ASCII);

    private Ping() {
    }

    /** A fresh buffer for one ping (a container reads it through). */
    static ByteBuffer payload() {
        return ByteBuffer.wrap(PAYLOAD);
    }
}
