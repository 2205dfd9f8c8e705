package io.duplex.app;

import io.duplex.broker.Broker;
import io.duplex.broker.Presence;
import io.duplex.broker.memory.MemoryBroker;
import io.duplex.broker.memory.MemoryPresence;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Builds the engine named by the {@code engine} setting. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Broker broker(DuplexConfig config, Scheduler scheduler) {
        return new MemoryBroker(config.historySize(), config.historyTtl(), Clock.systemUTC(), scheduler.executor());
    }

    void close(@Disposes Broker broker) {
        broker.close();
    }

    @Produces
    @ApplicationScoped
    Presence presence() {
        return new MemoryPresence();
    }
}
