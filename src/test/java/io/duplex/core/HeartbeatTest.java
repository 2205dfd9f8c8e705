package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    @Test
    void sessionsThatConnectedTogetherArePingedOverTheLastQuarterOfTheInterval() {
        Duration interval = Duration.ofSeconds(25);
        Random random = new Random(7);
        int[] quarters = new int[4];
        int sessions = 10_000;
        for (int i = 0; i < sessions; i++) {
            // Session ids as the node makes them: 16 random bytes, base64url.
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            long after = Heartbeat.pingAfterNanos(interval, id);
            assertEquals(after, Heartbeat.pingAfterNanos(interval, id), "the same point every time");
            assertTrue(after > interval.toNanos() * 3 / 4 && after <= interval.toNanos(), id + ": " + after);
            // Which quarter of the last quarter (each 1.56 s): about as many in each.
            quarters[(int) ((interval.toNanos() - after) * 16 / interval.toNanos())]++;
        }
        for (int count : quarters) {
            assertTrue(count > sessions / 4 * 0.8 && count < sessions / 4 * 1.2, java.util.Arrays.toString(quarters));
        }
    }

    @Test
    void theShortestIntervalStillPingsWithinIt() {
        Duration interval = Duration.ofMillis(100);
        for (String id : new String[] {"a", "b", "session-1", ""}) {
            long after = Heartbeat.pingAfterNanos(interval, id);
            assertTrue(after > interval.toNanos() * 3 / 4 && after <= interval.toNanos(), id + ": " + after);
        }
    }
}
