package io.duplex.broker.memory;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerContract;
import io.duplex.broker.Presence;
import io.duplex.broker.Retention;
import io.duplex.testing.MutableClock;
import java.time.Duration;
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

    @Test
    void everyStartIsANewEpoch() {
        Broker first = create(Retention.of(10, Duration.ofMinutes(1)));
        Broker second = create(Retention.of(10, Duration.ofMinutes(1)));
        assertNotEquals(first.position(NEWS).epoch(), second.position(NEWS).epoch());
        first.close();
        second.close();
    }
}
