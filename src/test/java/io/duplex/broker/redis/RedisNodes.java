package io.duplex.broker.redis;

import io.duplex.broker.Retention;
import io.duplex.config.RedisUri;
import io.duplex.testing.RedisServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Nodes of the Redis engine on one test Redis, in this JVM: each broker and presence store has connections of its
 * own, as on a node of its own. Everything made here is closed by {@link #close}, newest first.
 */
final class RedisNodes implements AutoCloseable {
    private final RedisServer redis;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final Deque<Runnable> closers = new ArrayDeque<>();

    RedisNodes(RedisServer redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /** A node's connections, not yet used by anything. */
    RedisConnections connections() {
        return RedisConnections.open(new RedisUri(redis.uri()), scheduler, RedisObserver.NONE);
    }

    /** A broker that {@link #close} closes. */
    RedisBroker broker(int historySize, Duration ttl) {
        return broker(Retention.of(historySize, ttl));
    }

    /** A broker that {@link #close} closes. */
    RedisBroker broker(Retention retention) {
        RedisBroker broker = unmanagedBroker(retention);
        closers.push(broker::close);
        return broker;
    }

    /** A broker the caller closes. */
    RedisBroker unmanagedBroker(int historySize, Duration ttl) {
        return unmanagedBroker(Retention.of(historySize, ttl));
    }

    /** A broker the caller closes. */
    RedisBroker unmanagedBroker(Retention retention) {
        return new RedisBroker(connections(), retention, clock);
    }

    /** A presence store that {@link #close} closes, unless the test closed it already. */
    RedisPresence presence(Duration ttl) {
        RedisPresence presence = new RedisPresence(connections(), ttl, clock, scheduler);
        closers.push(presence::close);
        return presence;
    }

    @Override
    public void close() {
        while (!closers.isEmpty()) {
            closers.pop().run();
        }
        scheduler.shutdownNow();
    }
}
