package io.duplex.broker.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.metrics.CommandLatencyRecorder;

/**
 * What the Redis engine reports about its connections, for the metrics: the latency of every command (Lettuce's own
 * recorder), commands that failed, and Redis coming back after an outage. Calls must be cheap and never block. Every
 * method does nothing unless overridden.
 */
public interface RedisObserver {
    /** Observes nothing. */
    RedisObserver NONE = new RedisObserver() {
    };

    /** Where Lettuce records each command's latency; disabled unless overridden. */
    default CommandLatencyRecorder latencyRecorder() {
        return CommandLatencyRecorder.disabled();
    }

    /** A command failed: Redis refused it, did not answer in time, or could not be reached. */
    default void commandFailed(RedisException failure) {
    }

    /** Redis is reachable again (both connections open, answering) after it was not. */
    default void reconnected() {
    }
}
