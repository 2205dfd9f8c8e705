package io.duplex.app;

import io.duplex.broker.Broker;
import io.duplex.broker.Presence;
import io.duplex.broker.Retention;
import io.duplex.broker.memory.MemoryBroker;
import io.duplex.broker.memory.MemoryPresence;
import io.duplex.broker.redis.RedisBroker;
import io.duplex.broker.redis.RedisConnections;
import io.duplex.broker.redis.RedisPresence;
import io.duplex.config.DuplexConfig;
import io.duplex.core.Scheduler;
import io.duplex.metrics.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Builds the engine named by the {@code engine} setting: its broker and its presence store. */
@ApplicationScoped
public class EngineProducer {
    private static final String REDIS = "redis";

    /** The Redis connections the broker and the presence store share; they close when both have closed. */
    private RedisConnections redis;

    @Produces
    @ApplicationScoped
    Broker broker(DuplexConfig config, Scheduler scheduler, Metrics metrics) {
        if (REDIS.equals(config.engine())) {
            return new RedisBroker(redis(config, scheduler, metrics), retention(config), Clock.systemUTC());
        }
        return new MemoryBroker(retention(config), Clock.systemUTC(), scheduler.executor());
    }

    private static Retention retention(DuplexConfig config) {
        return new Retention(config.historySize(), config.historyTtl(), config.publishIdempotencyWindow());
    }

    void close(@Disposes Broker broker) {
        broker.close();
    }

    @Produces
    @ApplicationScoped
    Presence presence(DuplexConfig config, Scheduler scheduler, Metrics metrics) {
        if (REDIS.equals(config.engine())) {
            return new RedisPresence(redis(config, scheduler, metrics), config.presenceTtl(), Clock.systemUTC(), scheduler.executor());
        }
        return new MemoryPresence();
    }

    void close(@Disposes Presence presence) {
        presence.close();
    }

    private synchronized RedisConnections redis(DuplexConfig config, Scheduler scheduler, Metrics metrics) {
        if (redis == null) {
            redis = RedisConnections.open(config.redisUri(), scheduler.executor(), metrics.redis());
        }
        return redis;
    }
}
