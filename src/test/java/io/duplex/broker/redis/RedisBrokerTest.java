package io.duplex.broker.redis;

import io.duplex.broker.Publishing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerContract;
import io.duplex.broker.HistoryQuery;
import io.duplex.broker.Presence;
import io.duplex.broker.PublishResult;
import io.duplex.broker.Retention;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.testing.MutableClock;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine contract on a real Redis, and what only a shared engine must do: one history for every node. */
class RedisBrokerTest extends BrokerContract {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private final RedisServer redis = REDIS.server();
    private final MutableClock clock = new MutableClock();
    private RedisNodes nodes;

    @BeforeEach
    void startNodes() {
        nodes = new RedisNodes(redis, clock);
    }

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    @Override
    protected Broker create(Retention retention) {
        return nodes.unmanagedBroker(retention);
    }

    @Override
    protected Presence presence() {
        return nodes.presence(Duration.ofSeconds(15));
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }

    @Test
    void aLostHistoryStartsANewEpochAtOffsetOne() {
        RedisBroker broker = nodes.broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 3).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        String before = broker.position(NEWS).epoch();

        redis.flushAll();

        ChannelMessage first = Publishing.publish(broker, NEWS, data(4));
        assertNotEquals(before, first.epoch());
        assertEquals(1, first.offset());
        assertEquals(new StreamPosition(first.epoch(), 1), broker.position(NEWS));
        assertEquals(List.of(1L), offsets(broker.history(NEWS, HistoryQuery.after(0, 10)).messages()));
    }

    @Test
    void aReadAfterTheHistoryWasLostStartsTheEpochTheNextPublishContinues() {
        RedisBroker broker = nodes.broker(100, Duration.ofMinutes(1));
        String before = Publishing.publish(broker, NEWS, data(1)).epoch();

        redis.flushAll();

        StreamPosition empty = broker.position(NEWS);
        assertNotEquals(before, empty.epoch());
        assertEquals(0, empty.offset());
        assertEquals(new StreamPosition(empty.epoch(), 1), position(Publishing.publish(broker, NEWS, data(2))));
    }

    @Test
    void aRestartedRedisContinuesTheHistoryItKeptUnderANewEpoch() {
        RedisBroker broker = nodes.broker(100, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 3).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        String before = broker.position(NEWS).epoch();

        redis.restartKeepingData();
        await().atMost(Duration.ofSeconds(10)).until(broker::healthy);

        // It may have lost writes it had acknowledged; offsets handed out again under the old epoch would hide that.
        StreamPosition after = broker.position(NEWS);
        assertNotEquals(before, after.epoch());
        assertEquals(3, after.offset());
        ChannelMessage next = Publishing.publish(broker, NEWS, data(4));
        assertEquals(new StreamPosition(after.epoch(), 4), position(next));
        assertEquals(List.of(1L, 2L, 3L, 4L), offsets(broker.history(NEWS, HistoryQuery.after(0, 10)).messages()));
    }

    @Test
    void everyNodeSeesTheSameEpochOffsetsAndHistory() {
        RedisBroker a = nodes.broker(100, Duration.ofMinutes(1));
        RedisBroker b = nodes.broker(100, Duration.ofMinutes(1));
        StreamPosition readFirst = b.position(NEWS);
        ChannelMessage one = Publishing.publish(a, NEWS, data(1));
        ChannelMessage two = Publishing.publish(b, NEWS, data(2));
        assertEquals(new StreamPosition(readFirst.epoch(), 1), position(one), "a publish continues the epoch a read started");
        assertEquals(new StreamPosition(one.epoch(), 2), position(two));
        assertEquals(List.of("1", "2"), b.history(NEWS, HistoryQuery.after(0, 10)).messages().stream()
                .map(m -> m.data().json()).toList());
        assertEquals(a.history(NEWS, HistoryQuery.latest(10)), b.history(NEWS, HistoryQuery.latest(10)));
    }

    @Test
    void retentionByAgeKeepsExactlyTheFreshPartOfALongHistory() {
        RedisBroker broker = nodes.broker(1000, Duration.ofSeconds(100));
        for (long n = 1; n <= 300; n++) {
            Publishing.publish(broker, NEWS, data(n));
            clock.advance(Duration.ofSeconds(1));
        }
        // Now is 300 s after the first publish: messages 1-199 are older than 100 s.
        assertEquals(LongStream.rangeClosed(201, 300).boxed().toList(),
                offsets(broker.history(NEWS, HistoryQuery.after(0, 1000)).messages()));
        assertEquals(List.of(296L, 297L, 298L, 299L, 300L), offsets(broker.history(NEWS, HistoryQuery.latest(5)).messages()));
        assertEquals(List.of(250L, 251L), offsets(broker.history(NEWS, HistoryQuery.after(249, 2)).messages()));
        clock.advance(Duration.ofSeconds(100));
        assertEquals(List.of(), offsets(broker.history(NEWS, HistoryQuery.latest(5)).messages()));
        assertEquals(301, Publishing.publish(broker, NEWS, data(301)).offset());
    }

    @Test
    void retentionByCountIsExactThoughRedisTrimsApproximately() {
        RedisBroker broker = nodes.broker(7, Duration.ofMinutes(1));
        LongStream.rangeClosed(1, 500).forEach(n -> Publishing.publish(broker, NEWS, data(n)));
        assertEquals(LongStream.rangeClosed(494, 500).boxed().toList(),
                offsets(broker.history(NEWS, HistoryQuery.after(0, 100)).messages()));
        assertEquals(List.of(), offsets(broker.history(NEWS, HistoryQuery.after(0, 0)).messages()));
        assertEquals(List.of(499L, 500L), offsets(broker.history(NEWS, HistoryQuery.latest(2)).messages()));
    }

    @Test
    void everyNodeReceivesEveryChannelsMessagesInTheSameOrderWhileTwoNodesPublish() throws Exception {
        List<RedisBroker> brokers = List.of(nodes.broker(100, Duration.ofMinutes(1)), nodes.broker(100, Duration.ofMinutes(1)));
        List<ChannelName> channels = List.of(ChannelName.of("c1"), ChannelName.of("c2"), ChannelName.of("c3"), ChannelName.of("c4"));
        List<Map<ChannelName, List<ChannelMessage>>> received = new ArrayList<>();
        for (RedisBroker broker : brokers) {
            Map<ChannelName, List<ChannelMessage>> byChannel = new ConcurrentHashMap<>();
            channels.forEach(c -> byChannel.put(c, new CopyOnWriteArrayList<>()));
            broker.start(m -> byChannel.get(m.channel()).add(m));
            channels.forEach(broker::subscribe);
            channels.forEach(broker::position); // a read waits for the node's subscriptions to be confirmed
            received.add(byChannel);
        }
        int perPublisher = 250;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                RedisBroker publisher = brokers.get(p % 2);
                publishers.add(pool.submit(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        for (ChannelName channel : channels) {
                            Publishing.publish(publisher, channel, data(i));
                        }
                    }
                }));
            }
            for (Future<?> publisher : publishers) {
                publisher.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = 4 * perPublisher;
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
        for (Map<ChannelName, List<ChannelMessage>> byChannel : received) {
            await().atMost(Duration.ofSeconds(20)).until(() -> byChannel.values().stream().allMatch(l -> l.size() >= total));
            for (ChannelName channel : channels) {
                assertEquals(expected, offsets(byChannel.get(channel)), "offsets of " + channel);
                assertEquals(received.get(0).get(channel), byChannel.get(channel), "every node sees " + channel + " alike");
            }
        }
    }

    @Test
    void aLiveMessageCarriesWhatThePublisherWasAnswered() {
        RedisBroker publisher = nodes.broker(100, Duration.ofMinutes(1));
        RedisBroker subscriber = nodes.broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        subscriber.start(received::add);
        subscriber.subscribe(NEWS);
        subscriber.position(NEWS);
        ChannelMessage published = Publishing.publish(publisher, NEWS, data(42));
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
        assertEquals(List.of(published), received);
    }

    @Test
    void twoNodesPublishingWithOneKeyAtOncePublishOnceAndBothAnswerTheSamePlace() throws Exception {
        RedisBroker a = nodes.broker(100, Duration.ofMinutes(1));
        RedisBroker b = nodes.broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        a.start(received::add);
        a.subscribe(NEWS);
        a.position(NEWS);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 25; round++) {
                String key = "retry-" + round;
                Future<PublishResult> onA = pool.submit(() -> a.publish(keyed(NEWS, data(1), key)));
                Future<PublishResult> onB = pool.submit(() -> b.publish(keyed(NEWS, data(1), key)));
                PublishResult first = onA.get(10, TimeUnit.SECONDS);
                PublishResult second = onB.get(10, TimeUnit.SECONDS);
                assertEquals(List.of(PublishResult.Outcome.PUBLISHED, PublishResult.Outcome.DUPLICATE),
                        Stream.of(first.outcome(), second.outcome()).sorted().toList(), key);
                assertEquals(first.message().position(), second.message().position(), key);
            }
        } finally {
            pool.shutdownNow();
        }
        Publishing.publish(b, NEWS, data(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 26);
        assertEquals(LongStream.rangeClosed(1, 26).boxed().toList(), offsets(received), "each key delivered once");
    }

    @Test
    void aClosedNodeLeavesNoThreadBehind() {
        RedisBroker broker = nodes.unmanagedBroker(100, Duration.ofMinutes(1));
        Publishing.publish(broker, NEWS, data(1));
        assertFalse(lettuceThreads().isEmpty(), "the test sees Lettuce's threads");
        broker.close();
        // An undeployed application must not leave threads running in its container.
        await().atMost(Duration.ofSeconds(10)).until(() -> lettuceThreads().isEmpty());
    }

    private static List<String> lettuceThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("lettuce-")).toList();
    }

    private static StreamPosition position(ChannelMessage message) {
        return new StreamPosition(message.epoch(), message.offset());
    }
}
