package io.duplex.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** A bridge's status: a backlog only where the bridge has one, and never a negative count. */
class BridgeStatusTest {

    @Test
    void aBridgeWithoutABacklogBuildsItsStatusAsBeforeAndReportsNone() {
        BridgeStatus status = new BridgeStatus("mqtt", BridgeStatus.State.UP, "connected", Map.of("in", 3L));
        assertTrue(status.backlog().isEmpty());
        assertEquals(Map.of("in", 3L), status.counters());
    }

    @Test
    void aBacklogIsACountOfMessages() {
        assertEquals(OptionalLong.of(0), new BridgeStatus("kafka", BridgeStatus.State.UP, "", Map.of(), OptionalLong.of(0)).backlog());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BridgeStatus("kafka", BridgeStatus.State.UP, "", Map.of(), OptionalLong.of(-1)));
        assertEquals("a backlog is a count of messages, not -1", e.getMessage());
    }
}
