package io.duplex.broker.redis;

import io.duplex.broker.Retention;
import io.duplex.broker.Publishing;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.broker.BrokerListener;
import io.duplex.broker.History;
import io.duplex.broker.HistoryQuery;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.config.RedisUri;
import io.duplex.testing.RedisServer;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A master, a replica and a Sentinel, all real: through a {@code redis-sentinel://} URI the engine finds the master,
 * follows a failover to the promoted replica, and carries on there under a new epoch (the new master is another
 * process, which may lack acknowledged writes), with the history that was replicated.
 */
class RedisSentinelTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void throughASentinelUriTheEngineFollowsAFailoverAndCarriesOnUnderANewEpoch() {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (RedisServer master = RedisServer.start();
                RedisServer replica = RedisServer.replicaOf(master);
                RedisServer sentinel = RedisServer.sentinel("duplex", master)) {
            RedisUri uri = new RedisUri("redis-sentinel://127.0.0.1:" + sentinel.port() + "#duplex");
            RedisBroker broker = new RedisBroker(RedisConnections.open(uri, scheduler, RedisObserver.NONE), Retention.of(100, Duration.ofMinutes(10)),
                    Clock.systemUTC());
            try {
                List<ChannelMessage> live = new CopyOnWriteArrayList<>();
                AtomicInteger resubscribed = new AtomicInteger();
                broker.start(new BrokerListener() {
                    @Override
                    public void onMessage(ChannelMessage message) {
                        live.add(message);
                    }

                    @Override
                    public void onResubscribed(ChannelName channel) {
                        resubscribed.incrementAndGet();
                    }
                });
                broker.subscribe(NEWS);
                broker.position(NEWS);
                String before = null;
                for (long n = 1; n <= 3; n++) {
                    before = Publishing.publish(broker, NEWS, data(n)).epoch();
                }
                master.awaitReplicas(1);

                master.stop();
                // Refused while no master is known; the first publish that succeeds went to the promoted replica.
                ChannelMessage after = await().atMost(FAILOVER).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> Publishing.publish(broker, NEWS, data(4)), m -> true);

                assertNotEquals(before, after.epoch(), "another Redis process holds the history now: a new epoch");
                History history = broker.history(NEWS, HistoryQuery.after(0, 100));
                assertEquals(after.epoch(), history.epoch());
                assertEquals(LongStream.rangeClosed(1, after.offset()).boxed().toList(),
                        history.messages().stream().map(ChannelMessage::offset).toList(),
                        "the replicated history carries on at its offset");
                assertTrue(after.offset() >= 4);
                // The pub/sub connection followed the failover too: it re-subscribed and delivers live again.
                await().atMost(FAILOVER).until(() -> resubscribed.get() > 0);
                ChannelMessage next = Publishing.publish(broker, NEWS, data(5));
                await().atMost(FAILOVER).until(() -> live.stream().anyMatch(m -> m.offset() == next.offset()));
            } finally {
                broker.close();
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static Payload data(long n) {
        return Payload.of(Json.createValue(n));
    }
}
