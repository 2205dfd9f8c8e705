package io.duplex.broker.redis;

import io.duplex.broker.Publishing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.broker.BrokerListener;
import io.duplex.broker.HistoryQuery;
import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.RedisServer;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis goes away and comes back: the engine says so at once, never claims a publish it could not make, and recovers. */
class RedisOutageTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    /** The command timeout is 2 s; refusing while disconnected is immediate. This leaves room for a loaded machine. */
    private static final Duration FAILS_WITHIN = Duration.ofSeconds(5);
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();
    private final RedisServer redis = REDIS.server();
    private RedisNodes nodes;

    @BeforeEach
    void startNodes() {
        nodes = new RedisNodes(redis, Clock.systemUTC());
    }

    @AfterEach
    void closeNodes() {
        nodes.close(); // Redis, if a test stopped it, is started again before the next test
    }

    @Test
    void whileRedisIsDownPublishFailsFastWithEngineUnavailableAndNothingIsStoredOrReplayed() {
        RedisBroker broker = nodes.broker(100, Duration.ofMinutes(1));
        Publishing.publish(broker, NEWS, data(1));

        redis.stop();
        await().atMost(FAILS_WITHIN).until(() -> !broker.healthy());
        DuplexException refused = assertTimeoutPreemptively(FAILS_WITHIN,
                () -> assertThrows(DuplexException.class, () -> Publishing.publish(broker, NEWS, data(2))));
        assertEquals(ErrorCode.ENGINE_UNAVAILABLE, refused.code());
        assertTrue(refused.getMessage().contains("nothing was published"), refused::getMessage);
        assertFalse(refused.getMessage().contains("127.0.0.1"), "a client is not told where Redis is: " + refused.getMessage());

        redis.startAgain();
        await().atMost(Duration.ofSeconds(10)).until(broker::healthy);
        // The restarted Redis kept nothing (no persistence); had the refused publish been queued and replayed, it
        // would be message 1 of the new history.
        assertEquals(List.of(), broker.history(NEWS, HistoryQuery.after(0, 10)).messages());
        assertEquals(1, Publishing.publish(broker, NEWS, data(3)).offset());
    }

    @Test
    void whileRedisIsDownReadsFailWithEngineUnavailable() {
        RedisBroker broker = nodes.broker(100, Duration.ofMinutes(1));
        RedisPresence presence = nodes.presence(Duration.ofSeconds(15));
        redis.stop();
        await().atMost(FAILS_WITHIN).until(() -> !broker.healthy());
        assertTimeoutPreemptively(FAILS_WITHIN, () -> {
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, assertThrows(DuplexException.class, () -> broker.position(NEWS)).code());
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE,
                    assertThrows(DuplexException.class, () -> broker.history(NEWS, HistoryQuery.latest(10))).code());
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, assertThrows(DuplexException.class, broker::channels).code());
            assertEquals(ErrorCode.ENGINE_UNAVAILABLE, assertThrows(DuplexException.class, () -> presence.list(NEWS)).code());
            // Adding and removing presence never block or throw: they run while sessions subscribe and close.
            presence.add(NEWS, new PresenceEntry("s", "u"));
            presence.remove(NEWS, "s");
            broker.subscribe(ChannelName.of("other"));
            broker.unsubscribe(ChannelName.of("other"));
        });
    }

    @Test
    void aSubscribedNodeIsToldItWasCutOffAndReceivesAgainWhenRedisIsBack() {
        RedisBroker publisher = nodes.broker(100, Duration.ofMinutes(1));
        RedisBroker subscriber = nodes.broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        Set<ChannelName> resubscribed = ConcurrentHashMap.newKeySet();
        subscriber.start(new BrokerListener() {
            @Override
            public void onMessage(ChannelMessage message) {
                received.add(message);
            }

            @Override
            public void onResubscribed(ChannelName channel) {
                resubscribed.add(channel);
            }
        });
        subscriber.subscribe(NEWS);
        subscriber.position(NEWS);
        Publishing.publish(publisher, NEWS, data(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertTrue(resubscribed.isEmpty(), "a first subscription is not a re-subscription");

        redis.stop();
        await().atMost(FAILS_WITHIN).until(() -> !subscriber.healthy() && !publisher.healthy());
        redis.startAgain();

        await().atMost(Duration.ofSeconds(10)).until(() -> resubscribed.contains(NEWS));
        await().atMost(Duration.ofSeconds(10)).until(publisher::healthy);
        ChannelMessage after = Publishing.publish(publisher, NEWS, data(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
        assertEquals(after, received.get(1));
    }

    @Test
    void aNodeWhosePubSubConnectionAloneWasCutIsToldAndReceivesAgain() {
        RedisBroker publisher = nodes.broker(100, Duration.ofMinutes(1));
        RedisBroker subscriber = nodes.broker(100, Duration.ofMinutes(1));
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        Set<ChannelName> resubscribed = ConcurrentHashMap.newKeySet();
        subscriber.start(new BrokerListener() {
            @Override
            public void onMessage(ChannelMessage message) {
                received.add(message);
            }

            @Override
            public void onResubscribed(ChannelName channel) {
                resubscribed.add(channel);
            }
        });
        subscriber.subscribe(NEWS);
        subscriber.subscribe(ChannelName.of("other"));
        subscriber.unsubscribe(ChannelName.of("other"));
        subscriber.position(NEWS);

        redis.killPubSubClients();

        await().atMost(Duration.ofSeconds(10)).until(() -> resubscribed.contains(NEWS));
        assertEquals(Set.of(NEWS), resubscribed, "only what the node still wants");
        ChannelMessage after = Publishing.publish(publisher, NEWS, data(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        assertEquals(after, received.get(0));
        assertTrue(publisher.healthy());
    }

    @Test
    void aNodeThatStartsWhileRedisIsDownConnectsWhenRedisComesUp() {
        redis.stop();
        RedisBroker broker = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> nodes.broker(100, Duration.ofMinutes(1)));
        assertFalse(broker.healthy());
        assertEquals(ErrorCode.ENGINE_UNAVAILABLE, assertThrows(DuplexException.class, () -> Publishing.publish(broker, NEWS, data(1))).code());

        redis.startAgain();
        await().atMost(Duration.ofSeconds(10)).until(broker::healthy);
        List<ChannelMessage> received = new CopyOnWriteArrayList<>();
        broker.start(received::add);
        broker.subscribe(NEWS);
        broker.position(NEWS);
        Publishing.publish(broker, NEWS, data(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    }

    private static Payload data(long n) {
        return Payload.of(Json.createValue(n));
    }
}
