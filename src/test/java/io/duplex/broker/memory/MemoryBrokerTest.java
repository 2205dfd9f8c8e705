package io.duplex.broker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerContract;
import io.duplex.broker.Presence;
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
        Broker broker = create(100, Duration.ofMinutes(1));
        List<Long> seen = new CopyOnWriteArrayList<>();
        broker.start(message -> {
            seen.add(message.offset());
            if (message.offset() == 1) {
                try {
                    // Published from another thread while this fan-out runs: under the old lock this waited forever.
                    long other = CompletableFuture.supplyAsync(() -> broker.publish(NEWS, data(2)).offset()).get(5, TimeUnit.SECONDS);
                    assertEquals(2, other);
                } catch (Exception e) {
                    throw new AssertionError("a publish waited for another publish's fan-out", e);
                }
            }
        });
        broker.subscribe(NEWS);
        broker.publish(NEWS, data(1));
        assertEquals(List.of(1L, 2L), seen, "the second was delivered after the first, by the thread delivering the first");
        broker.close();
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
