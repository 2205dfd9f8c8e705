package io.duplex.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.channel.StreamPosition;
import jakarta.json.Json;
import java.io.StringReader;
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

    /** A fresh engine keeping what {@code retention} says. */
    protected abstract Broker create(Retention retention);

    /** The engine's presence store. */
    protected abstract Presence presence();

    /** Lets {@code duration} pass for the engine's retention. */
    protected abstract void advance(Duration duration);

    private Broker broker(int historySize, Duration ttl) {
        return broker(Retention.of(historySize, ttl));
    }

    protected Broker broker(Retention retention) {
        Broker broker = create(retention);
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
        ChannelMessage first = Publishing.publish(broker, NEWS, data(1));
        ChannelMessage second = Publishing.publish(broker, NEWS, data(2));
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
        Publishing.publish(broker, NEWS, data(1));
        assertEquals(1, Publishing.publish(broker, ChannelName.of("other"), data(1)).offset());
        assertTrue(broker.channels().containsAll(List.of(NEWS, ChannelName.of("other"))));
    }

    @Test
    void historyAfterAnOffsetIsOldestFirstAndLimited() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        History history = broker.history(NEWS, HistoryQuery.after(4, 3));
        assertEquals(10, history.offset());
        assertEquals(List.of(5L, 6L, 7L), offsets(history.messages()));
        assertEquals("5", history.messages().get(0).data().json());
    }

    @Test
    void latestHistoryIsTheNewestOldestFirst() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        assertEquals(List.of(8L, 9L, 10L), offsets(broker.history(NEWS, HistoryQuery.latest(3)).messages()));
    }

    @Test
    void retentionByCountKeepsTheNewest() {
        Broker broker = broker(3, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 10).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        assertEquals(List.of(8L, 9L, 10L), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        assertEquals(10, broker.position(NEWS).offset());
    }

    @Test
    void retentionByAgeDropsOldMessagesButKeepsTheOffset() {
        Broker broker = broker(100, Duration.ofSeconds(10));
        Publishing.publish(broker, NEWS, data(1));
        advance(Duration.ofSeconds(6));
        Publishing.publish(broker, NEWS, data(2));
        advance(Duration.ofSeconds(6));
        assertEquals(List.of(2L), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        advance(Duration.ofSeconds(6));
        assertEquals(List.of(), offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        assertEquals(3, Publishing.publish(broker, NEWS, data(3)).offset());
    }

    @Test
    void noHistoryKeepsNothingButStillCounts() {
        Broker broker = broker(0, Duration.ofMinutes(1));
        Publishing.publish(broker, NEWS, data(1));
        assertEquals(2, Publishing.publish(broker, NEWS, data(2)).offset());
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
                publishers.add(pool.submit(() -> LongStream.range(0, 500).forEach(n -> Publishing.publish(broker, NEWS, data(n)))));
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
        LongStream.rangeClosed(1, 100).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> publisher = pool.submit(() -> LongStream.rangeClosed(101, 600).forEach(n -> Publishing.publish(broker, NEWS, data(n))));
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
        Publishing.publish(broker, ChannelName.of("other"), data(1));
        Publishing.publish(broker, NEWS, data(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        broker.unsubscribe(NEWS);
        Publishing.publish(broker, NEWS, data(3));
        subscribe(broker, NEWS);
        Publishing.publish(broker, NEWS, data(4));
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


    // ---- idempotent publishing ----

    private static final Publisher ALICE = Publisher.of(Door.REST, "alice");

    protected static PublishRequest keyed(ChannelName channel, Payload data, String key) {
        return PublishRequest.of(channel, data, ALICE).withIdempotencyKey(IdempotencyKey.of(key));
    }

    protected static Payload json(String text) {
        return Payload.of(Json.createReader(new StringReader(text)).readValue());
    }

    @Test
    void aRetryWithTheSameKeyIsAnsweredWithTheFirstPublishAndDeliveredOnce() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        broker.start(received::add);
        subscribe(broker, NEWS);
        PublishResult first = broker.publish(keyed(NEWS, data(1), "order-17"));
        PublishResult retry = broker.publish(keyed(NEWS, data(1), "order-17"));
        assertEquals(PublishResult.Outcome.PUBLISHED, first.outcome());
        assertEquals(PublishResult.Outcome.DUPLICATE, retry.outcome());
        assertEquals(first.message().position(), retry.message().position());
        assertEquals(first.message().time(), retry.message().time());
        assertEquals(2, Publishing.publish(broker, NEWS, data(2)).offset(), "the retry took no offset");
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertEquals(List.of(1L, 2L), offsets(received));
        assertEquals(List.of(1L, 2L), offsets(broker.history(NEWS, HistoryQuery.after(0, 10)).messages()));
    }

    @Test
    void aKeyReusedForADifferentMessageIsRefusedAndNothingIsPublished() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        ChannelName other = ChannelName.of("other");
        assertEquals(PublishResult.Outcome.PUBLISHED, broker.publish(keyed(NEWS, data(1), "k")).outcome());
        assertEquals(PublishResult.Outcome.KEY_REUSED, broker.publish(keyed(NEWS, data(2), "k")).outcome(), "other data");
        assertEquals(PublishResult.Outcome.KEY_REUSED, broker.publish(keyed(other, data(1), "k")).outcome(), "another channel");
        assertEquals(1, broker.position(NEWS).offset());
        assertEquals(0, broker.position(other).offset());
    }

    @Test
    void theSameDataWithObjectMembersInAnotherOrderIsTheSameMessage() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        broker.publish(keyed(NEWS, json("{\"a\":1,\"b\":[{\"x\":\"é\",\"y\":2.50}]}"), "k"));
        assertEquals(PublishResult.Outcome.DUPLICATE,
                broker.publish(keyed(NEWS, json("{ \"b\" : [ {\"y\":2.50, \"x\":\"\\u00e9\"} ], \"a\" : 1 }"), "k")).outcome());
        assertEquals(PublishResult.Outcome.KEY_REUSED,
                broker.publish(keyed(NEWS, json("{\"a\":1,\"b\":[{\"x\":\"é\",\"y\":2.5}]}"), "k")).outcome(),
                "2.5 is not 2.50: subscribers would see other text");
    }

    @Test
    void keysAreScopedByTheirPublishersDoorAndUser() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        IdempotencyKey key = IdempotencyKey.of("1");
        List<Publisher> publishers = List.of(Publisher.of(Door.REST, "alice"), Publisher.of(Door.REST, "bob"),
                Publisher.of(Door.WEBSOCKET, "alice"), Publisher.of(Door.REST, null), Publisher.of(new Door("kafka"), "alice"));
        for (Publisher publisher : publishers) {
            PublishResult result = broker.publish(PublishRequest.of(NEWS, data(1), publisher).withIdempotencyKey(key));
            assertEquals(PublishResult.Outcome.PUBLISHED, result.outcome(), publisher::toString);
        }
        assertEquals(publishers.size(), broker.position(NEWS).offset());
    }

    @Test
    void aKeyIsNewAgainOnceTheWindowHasPassed() {
        Broker broker = broker(new Retention(100, Duration.ofHours(1), Duration.ofMinutes(1)));
        broker.publish(keyed(NEWS, data(1), "k"));
        advance(Duration.ofSeconds(50));
        assertEquals(PublishResult.Outcome.DUPLICATE, broker.publish(keyed(NEWS, data(1), "k")).outcome());
        advance(Duration.ofSeconds(11));
        PublishResult later = broker.publish(keyed(NEWS, data(1), "k"));
        assertEquals(PublishResult.Outcome.PUBLISHED, later.outcome());
        assertEquals(2, later.message().offset());
        assertEquals(PublishResult.Outcome.PUBLISHED, broker.publish(keyed(NEWS, data(2), "k2")).outcome());
    }

    @Test
    void publishesWithOneKeyAtOnceArePublishedOnce() throws Exception {
        Broker broker = broker(100, Duration.ofMinutes(1));
        int rounds = 20;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                String key = "race-" + round;
                List<Future<PublishResult>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    attempts.add(pool.submit(() -> broker.publish(keyed(NEWS, data(7), key))));
                }
                List<PublishResult> results = new ArrayList<>();
                for (Future<PublishResult> attempt : attempts) {
                    results.add(attempt.get(30, TimeUnit.SECONDS));
                }
                assertEquals(1, results.stream().filter(r -> r.outcome() == PublishResult.Outcome.PUBLISHED).count(), key);
                assertEquals(1, results.stream().map(r -> r.message().position()).distinct().count(), "one place for " + key);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(rounds, broker.position(NEWS).offset());
    }

    @Test
    void aBatchIsPublishedInOrderAndStopsAtTheFirstReusedKey() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        ChannelName other = ChannelName.of("other");
        List<PublishResult> results = broker.publishAll(List.of(
                keyed(NEWS, data(1), "a"),
                PublishRequest.of(other, data(2), ALICE),
                PublishRequest.of(NEWS, data(3), ALICE),
                keyed(NEWS, data(1), "a"),
                keyed(NEWS, data(4), "a"),
                PublishRequest.of(NEWS, data(5), ALICE)));
        assertEquals(List.of(PublishResult.Outcome.PUBLISHED, PublishResult.Outcome.PUBLISHED, PublishResult.Outcome.PUBLISHED,
                PublishResult.Outcome.DUPLICATE, PublishResult.Outcome.KEY_REUSED), results.stream().map(PublishResult::outcome).toList());
        assertEquals(List.of(1L, 1L, 2L, 1L), results.subList(0, 4).stream().map(r -> r.message().offset()).toList());
        assertEquals(List.of("1", "3"), broker.history(NEWS, HistoryQuery.after(0, 10)).messages().stream()
                .map(m -> m.data().json()).toList(), "nothing after the reused key");
        assertEquals(List.of(), broker.publishAll(List.of()));
    }

    @Test
    void aMessageCarriesItsPublisherToSubscribedNodesAndInHistory() {
        Broker broker = broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        broker.start(received::add);
        subscribe(broker, NEWS);
        List<Publisher> publishers = List.of(Publisher.of(Door.WEBSOCKET, "alice"), Publisher.of(Door.REST, null),
                Publisher.of(new Door("kafka"), "bridge\nwith a line break"));
        publishers.forEach(p -> broker.publish(PublishRequest.of(NEWS, data(1), p)));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertEquals(publishers, received.stream().map(ChannelMessage::publisher).toList());
        assertEquals(publishers, broker.history(NEWS, HistoryQuery.after(0, 10)).messages().stream()
                .map(ChannelMessage::publisher).toList());
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
