package io.duplex.broker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerContract;
import io.duplex.broker.Presence;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.Publisher;
import io.duplex.channel.Door;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.IdempotencyKey;
import io.duplex.broker.Retention;
import io.duplex.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest extends BrokerContract {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock();

    @Override
    protected Broker create(Retention retention) {
        return new MemoryBroker(retention, clock, scheduler);
    }

    @Override
    protected Presence presence() {
        return new MemoryPresence();
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    /**
     * The listener (the node's fan-out to every subscriber) runs without the channel's lock: another publisher of the
     * channel does not wait for it, and the listener still sees the channel's messages in offset order.
     */
    @Test
    void aPublishDoesNotWaitForAnotherPublishsFanOut() {
        Broker broker = create(new Retention(100, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        List<Long> seen = new CopyOnWriteArrayList<>();
        broker.start(message -> {
            seen.add(message.offset());
            if (message.offset() == 1) {
                try {
                    // Published from another thread while this fan-out runs: under the old lock this waited forever.
                    long other = CompletableFuture.supplyAsync(() -> publish(broker, 2).offset()).get(5, TimeUnit.SECONDS);
                    assertEquals(2, other);
                } catch (Exception e) {
                    throw new AssertionError("a publish waited for another publish's fan-out", e);
                }
            }
        });
        broker.subscribe(NEWS);
        publish(broker, 1);
        assertEquals(List.of(1L, 2L), seen, "the second was delivered after the first, by the thread delivering the first");
        broker.close();
    }

    /** A keyed publish is appended under its key's lock; its fan-out runs after that lock too. */
    @Test
    void theFanOutOfAKeyedPublishRunsOutsideTheKeysLock() {
        Broker broker = create(new Retention(100, Duration.ofMinutes(1), Duration.ofMinutes(1)));
        PublishRequest first = PublishRequest.of(NEWS, data(1), Publisher.of(Door.REST, "alice"))
                .withIdempotencyKey(IdempotencyKey.of("k1"));
        List<PublishResult.Outcome> retries = new CopyOnWriteArrayList<>();
        broker.start(message -> {
            try {
                // The publisher's retry of the same key, from another thread, while the first's fan-out runs.
                retries.add(CompletableFuture.supplyAsync(() -> broker.publish(first).outcome()).get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("a keyed publish's fan-out ran under its key's lock", e);
            }
        });
        broker.subscribe(NEWS);
        assertEquals(PublishResult.Outcome.PUBLISHED, broker.publish(first).outcome());
        assertEquals(List.of(PublishResult.Outcome.DUPLICATE), retries);
        broker.close();
    }

    private static ChannelMessage publish(Broker broker, long n) {
        return broker.publish(PublishRequest.of(NEWS, data(n), Publisher.of(Door.REST, null))).message();
    }

    @Test
    void everyStartIsANewEpoch() {
        Broker first = create(Retention.of(10, Duration.ofMinutes(1)));
        Broker second = create(Retention.of(10, Duration.ofMinutes(1)));
        assertNotEquals(first.position(NEWS).epoch(), second.position(NEWS).epoch());
        first.close();
        second.close();
    }
}
