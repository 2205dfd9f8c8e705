package io.duplex.bridge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.config.ChannelPattern;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.testing.LogWatch;
import jakarta.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounded queue every bridge sends through, driven by a client that takes, refuses or fails what it is handed: the
 * bridges' own tests (KafkaBridgeIT, MqttBridgeIT and their outage tests) drive it through the real clients and brokers.
 */
class OutboundQueueTest {
    private static final ChannelName ORDERS = ChannelName.of("orders.eu");
    private static final Publisher REST = Publisher.of(Door.REST, null);
    private static final Publisher FROM_BRIDGE = Publisher.of(new Door("kafka"), null);
    private static final Logger LOG = Logger.getLogger(OutboundQueueTest.class.getName());

    private final BridgeCounters counters = new BridgeCounters();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final LogWatch log = LogWatch.of(LOG, Level.INFO);
    private OutboundQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop(Duration.ofSeconds(5));
        }
        log.close();
    }

    private OutboundQueue queue(boolean buffered, long bufferBytes, Duration timeout) {
        queue = new OutboundQueue(new OutboundQueue.Terms("kafka", "kafka.out", "Kafka", "Kafka topic",
                List.of(new ChannelPattern("orders.*")), buffered, bufferBytes, timeout), counters, reachable::get, LOG);
        return queue;
    }

    private static ChannelMessage message(long offset) {
        return new ChannelMessage(ORDERS, "E", offset, Payload.of(Json.createValue(offset)), Instant.EPOCH, REST);
    }

    /** A client that takes everything at once, in the order handed. */
    private final class Taking implements OutboundQueue.Sender {
        final List<Long> sent = new CopyOnWriteArrayList<>();

        @Override
        public boolean send(OutboundQueue.Pending pending) {
            sent.add(pending.message().offset());
            queue.taken(pending);
            return true;
        }
    }

    @Test
    void carriesExportedChannelsOnlyAndNeverWhatCameThroughTheBridge() {
        OutboundQueue q = queue(false, 1 << 20, Duration.ofMinutes(1));
        assertTrue(q.carries(ORDERS, REST));
        assertFalse(q.carries(ORDERS, FROM_BRIDGE));
        assertFalse(q.carries(ChannelName.of("chat"), REST));
    }

    @Test
    void messagesLeaveInTheOrderAcceptedAndAreCountedOut() {
        OutboundQueue q = queue(false, 1 << 20, Duration.ofMinutes(1));
        Taking client = new Taking();
        q.start(client);
        for (long i = 1; i <= 200; i++) {
            q.offer(message(i), "duplex.out", new byte[10]);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 200);
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1, client.sent.get(i));
        }
        assertEquals(200, counters.out.sum());
        assertEquals(0, counters.dropped.sum());
    }

    @Test
    void aMessageTheClientRefusesGoesBackToTheHeadAndKeepsItsPlace() {
        OutboundQueue q = queue(false, 1 << 20, Duration.ofMinutes(1));
        List<Long> sent = new CopyOnWriteArrayList<>();
        AtomicInteger refusals = new AtomicInteger(3);
        q.start(pending -> {
            if (pending.message().offset() == 2 && refusals.getAndDecrement() > 0) {
                return false; // not connected: tried again shortly
            }
            sent.add(pending.message().offset());
            q.taken(pending);
            return true;
        });
        for (long i = 1; i <= 5; i++) {
            q.offer(message(i), "duplex.out", new byte[10]);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sent.size() == 5);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sent);
        assertEquals(0, counters.dropped.sum());
    }

    @Test
    void withFailAPublishIsRefusedWhileTheSystemIsAwayNamingTheSetting() {
        OutboundQueue q = queue(false, 1 << 20, Duration.ofMinutes(1));
        reachable.set(false);
        DuplexException refused = assertThrows(DuplexException.class, () -> q.check(ORDERS, REST));
        assertEquals(ErrorCode.ENGINE_UNAVAILABLE, refused.code());
        assertTrue(refused.getMessage().contains("Kafka is unreachable") && refused.getMessage().contains("kafka.out.unavailable=fail"),
                refused.getMessage());
        q.check(ChannelName.of("chat"), REST); // not exported: not the bridge's business
        q.check(ORDERS, FROM_BRIDGE); // came from Kafka: never goes back
        assertEquals(1, counters.refused.sum());
    }

    @Test
    void withFailAFullBufferRefusesTheNextPublishAndKeepsWhatRacedPastTheCheck() {
        OutboundQueue q = queue(false, 64 * 1024, Duration.ofMinutes(1));
        List<Long> handed = new CopyOnWriteArrayList<>();
        q.start(pending -> {
            handed.add(pending.message().offset()); // taken, never acknowledged: the system is slow
            return true;
        });
        q.check(ORDERS, REST);
        q.offer(message(1), "duplex.out", new byte[60 * 1024]);
        // Accepted by the engine after a check that still saw room: kept, a little over the bound, not dropped.
        q.offer(message(2), "duplex.out", new byte[10 * 1024]);
        await().atMost(Duration.ofSeconds(10)).until(() -> handed.size() == 2);
        assertEquals(0, counters.dropped.sum());
        DuplexException refused = assertThrows(DuplexException.class, () -> q.check(ORDERS, REST));
        assertTrue(refused.getMessage().contains("Kafka has not yet taken") && refused.getMessage().contains("kafka.out.buffer"),
                refused.getMessage());
        assertEquals(1, counters.refused.sum());
    }

    @Test
    void withBufferPublishesAreAcceptedWhileTheSystemIsAwayAndSentWhenItIsBack() {
        OutboundQueue q = queue(true, 1 << 20, Duration.ofMinutes(1));
        reachable.set(false);
        Taking client = new Taking();
        q.start(client);
        q.check(ORDERS, REST); // not refused
        q.offer(message(1), "duplex.out", new byte[10]);
        q.offer(message(2), "duplex.out", new byte[10]);
        assertEquals(2, q.queued());
        assertTrue(client.sent.isEmpty());
        reachable.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 2);
        assertEquals(List.of(1L, 2L), client.sent);
    }

    @Test
    void withBufferAMessagePastTheBufferIsDroppedCountedAndLogged() {
        OutboundQueue q = queue(true, 64 * 1024, Duration.ofMinutes(1));
        reachable.set(false);
        q.start(new Taking());
        q.offer(message(1), "duplex.out", new byte[60 * 1024]);
        q.offer(message(2), "duplex.out", new byte[10 * 1024]);
        assertEquals(1, counters.dropped.sum());
        assertEquals(1, q.queued());
        q.flushLog();
        assertTrue(log.messages().stream().anyMatch(l -> l.contains("orders.eu@2") && l.contains("Kafka topic duplex.out")
                && l.contains("kafka.out.buffer")), log.messages()::toString);
    }

    @Test
    void aMessageWaitingPastTheTimeoutIsDropped() {
        OutboundQueue q = queue(true, 1 << 20, Duration.ofMillis(100));
        reachable.set(false);
        Taking client = new Taking();
        q.start(client);
        q.offer(message(1), "duplex.out", new byte[10]);
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.dropped.sum() == 1);
        reachable.set(true);
        q.offer(message(2), "duplex.out", new byte[10]);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.sent.size() == 1);
        assertEquals(List.of(2L), client.sent);
        q.flushLog();
        assertTrue(log.messages().stream().anyMatch(l -> l.contains("orders.eu@1") && l.contains("kafka.out.timeout")), log.messages()::toString);
    }

    @Test
    void whatTheSystemFailsAndWhatIsLeftAtAStopWhileItIsAwayIsDroppedAndCounted() {
        OutboundQueue q = queue(true, 1 << 20, Duration.ofMinutes(1));
        q.start(pending -> {
            q.failed(pending, "NOT_LEADER");
            return true;
        });
        q.offer(message(1), "duplex.out", new byte[10]);
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.dropped.sum() == 1);
        reachable.set(false);
        q.offer(message(2), "duplex.out", new byte[10]);
        q.offer(message(3), "duplex.out", new byte[10]);
        q.stop(Duration.ofSeconds(5));
        assertEquals(3, counters.dropped.sum());
        assertEquals(0, q.queued());
        q.offer(message(4), "duplex.out", new byte[10]); // after the stop: dropped, not kept
        assertEquals(4, counters.dropped.sum());
        assertTrue(log.messages().stream().anyMatch(l -> l.contains("Kafka did not take it: NOT_LEADER")), log.messages()::toString);
    }
}
