package io.duplex.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.error.DisconnectReason;
import org.junit.jupiter.api.Test;

/** Core's disconnect reasons become the Pusher close codes that tell pusher-js what to do next. */
class PusherConnectionTest {

    @Test
    void reasonsToComeBackAtOnceAreThe4200s() {
        assertEquals(4200, PusherConnection.code(DisconnectReason.GOING_AWAY));
        assertEquals(4200, PusherConnection.code(DisconnectReason.DISCONNECTED));
        assertEquals(4201, PusherConnection.code(DisconnectReason.NO_HEARTBEAT));
    }

    @Test
    void aSlowOrFloodingClientBacksOffAndARefusedOneStaysAway() {
        assertEquals(4100, PusherConnection.code(DisconnectReason.TOO_SLOW));
        assertEquals(4100, PusherConnection.code(DisconnectReason.HANDSHAKE_RATE_LIMIT));
        assertEquals(4009, PusherConnection.code(DisconnectReason.UNAUTHORIZED));
        assertEquals(4009, PusherConnection.code(DisconnectReason.ORIGIN_NOT_ALLOWED));
        assertEquals(4000, PusherConnection.code(DisconnectReason.NOT_SECURE));
    }
}
