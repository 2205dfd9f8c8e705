package io.duplex.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine must do, run against each of them: offsets, epochs, history and retention, the recovery seam,
 * ordered delivery to subscribed nodes, presence.
 */
public abstract class BrokerContract {
    protected static final ChannelName NEWS = ChannelName.of("news");
    private final List<Broker> created = new ArrayList<>();

    /** A fresh engine keeping {@code historySize} messages for {@code ttl}. */
    protected abstract Broker create(int historySize, Duration ttl);

    /** The engine's presence store. */
    protected abstract Presence presence();

    /** Lets {@code duration} pass for the engine's retention. */
    protected abstract void advance(Duration duration);

    private Broker broker(int historySize, Duration ttl) {
        Broker broker = create(historySize, ttl);
        created.add(broker);
        return broker;
    }

    @AfterEach
    void closeBrokers() {
        created.forEach(Broker::close);
    }

    protected static Payload data(long n) {
        return Payload.of(Json.createValue(n));
    }

    @Test
    void offsetsStartAtOneAndRiseByOneUnderOneEpoch() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        ChannelMessage first = broker.publish(NEWS, data(1));
        ChannelMessage second = broker.publish(NEWS, data(2));
        assertEquals(1, first.offset());
        assertEquals(2, second.offset());
        assertEquals(first.epoch(), second.epoch());
        assertEquals(2, broker.position(NEWS).offset());
        assertEquals(first.epoch(), broker.position(NEWS).epoch());
    }

    @Test
    void aChannelNothingWasPublishedToIsAtOffsetZero() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        assertEquals(0, broker.position(ChannelName.of("empty")).offset());
        History history = broker.history(ChannelName.of("empty"), HistoryQuery.latest(10));
        assertEquals(0, history.offset());
        assertTrue(history.messages().isEmpty());
    }

    @Test
    void channelsAreIndependent() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        broker.publish(NEWS, data(1));
        assertEquals(1, broker.publish(ChannelName.of("other"), data(1)).offset());
        assertTrue(broker.channels().containsAll(List.of(NEWS, ChannelName.of("other"))));
    }

    @Test
    void historyAfterAnOffsetIsOldestFirstAndLimited() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> broker.publish(NEWS, data(n)));
        History history = broker.history(NEWS, HistoryQuery.after(4, 3));
        assertEquals(10, history.offset());
        assertEquals(List.of(5L, 6L, 7L), offsets(history.messages()));
        assertEquals("5", history.messages().get(0).data().json());
    }

    @Test
    void latestHistoryIsTheNewestOldestFirst() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> broker.publish(NEWS, data(n)));
        assertEquals(List.of(8L, 9L, 10L), offsets(broker.history(NEWS, HistoryQuery.latest(3)).messages()));
    }

    @Test
    void retentionByCountKeepsTheNewest() {
        Broker broker = broker(3, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> broker.publish(NEWS, data(n)));
        assertEquals(List.of(8L, 9L, 10L), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        assertEquals(10, broker.position(NEWS).offset());
    }

    @Test
    void retentionByAgeDropsOldMessagesButKeepsTheOffset() {
        Broker broker = broker(100, Duration.ofSeconds(10));
        broker.publish(NEWS, data(1));
        advance(Duration.ofSeconds(6));
        broker.publish(NEWS, data(2));
        advance(Duration.ofSeconds(6));
        assertEquals(List.of(2L), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        advance(Duration.ofSeconds(6));
        assertEquals(List.of(), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        assertEquals(3, broker.publish(NEWS, data(3)).offset());
    }

    @Test
    void noHistoryKeepsNothingButStillCounts() {
        Broker broker = broker(0, Duration.ofMinutes(1));
        broker.publish(NEWS, data(1));
        assertEquals(2, broker.publish(NEWS, data(2)).offset());
        assertTrue(broker.history(NEWS, HistoryQuery.after(0, 100)).messages().isEmpty());
    }

    @Test
    void aSubscribedNodeGetsEveryMessageInOffsetOrderUnderConcurrentPublishers() throws Exception {
        Broker broker = broker(10_000, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        broker.start(received::add);
        subscribe(broker, NEWS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                publishers.add(pool.submit(() -> LongStream.range(0, 500).forEach(n -> broker.publish(NEWS, data(n)))));
            }
            for (Future<?> publisher : publishers) {
                publisher.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2000);
        assertEquals(LongStream.rangeClosed(1, 2000).boxed().toList(), offsets(received));
    }

    /**
     * Recovery's promise, which the node builds on: subscribe, then read history after the client's offset; the read and
     * the live messages after it cover everything, while publishers go on, under one epoch.
     */
    @Test
    void aHistoryReadAfterSubscribingAndTheLiveMessagesAfterItMissNothing() throws Exception {
        Broker broker = broker(10_000, Duration.ofMinutes(1));
        List<ChannelMessage> live = new CopyOnWriteArrayList<>();
        broker.start(live::add);
        LongStream.rangeClosed(1, 100).forEach(n -> broker.publish(NEWS, data(n)));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> publisher = pool.submit(() -> LongStream.rangeClosed(101, 600).forEach(n -> broker.publish(NEWS, data(n))));
            broker.subscribe(NEWS);
            History history = broker.history(NEWS, HistoryQuery.after(50, 10_000));
            publisher.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !live.isEmpty() && live.get(live.size() - 1).offset() == 600);

            long seam = history.offset();
            assertEquals(LongStream.rangeClosed(51, seam).boxed().toList(), offsets(history.messages()));
            assertEquals(LongStream.rangeClosed(seam + 1, 600).boxed().toList(),
                    offsets(live.stream().filter(m -> m.offset() > seam).toList()));
            assertTrue(live.stream().allMatch(m -> m.epoch().equals(history.epoch())), "one epoch");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void channelsTheNodeDidNotSubscribeToAreNotDelivered() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        broker.start(received::add);
        subscribe(broker, NEWS);
        broker.publish(ChannelName.of("other"), data(1));
        broker.publish(NEWS, data(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        broker.unsubscribe(NEWS);
        broker.publish(NEWS, data(3));
        subscribe(broker, NEWS);
        broker.publish(NEWS, data(4));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertEquals(List.of(1L, 3L), offsets(received));
        assertEquals(List.of(NEWS, NEWS), received.stream().map(ChannelMessage::channel).toList());
    }

    @Test
    void presenceListsWhoIsSubscribedBySession() {
        Presence presence = presence();
        presence.add(NEWS, new PresenceEntry("b", "bob"));
        presence.add(NEWS, new PresenceEntry("a", null));
        presence.add(ChannelName.of("other"), new PresenceEntry("c", "carol"));
        assertEquals(List.of(new PresenceEntry("a", null), new PresenceEntry("b", "bob")), presence.list(NEWS));
        presence.remove(NEWS, "a");
        assertEquals(List.of(new PresenceEntry("b", "bob")), presence.list(NEWS));
        presence.remove(NEWS, "b");
        assertEquals(Collections.emptyList(), presence.list(NEWS));
    }

    /**
     * Subscribes as a node does: then reads the channel, after which every message published is delivered (an engine
     * may confirm a subscription asynchronously; its next read waits for the confirmation).
     */
    protected static StreamPosition subscribe(Broker broker, ChannelName channel) {
        broker.subscribe(channel);
        return broker.position(channel);
    }

    protected static List<Long> offsets(List<ChannelMessage> messages) {
        return messages.stream().map(ChannelMessage::offset).toList();
    }
}
