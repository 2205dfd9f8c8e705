package io.duplex.metrics;

import io.duplex.broker.redis.RedisObserver;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Redis engine's meters: Lettuce's own command latency timers ({@code lettuce_command_completion_seconds},
 * {@code lettuce_command_firstresponse_seconds}, by command and Redis address; the first with a histogram), the commands that
 * failed, by kind, and the outages Redis came back from. Made only with {@code engine=redis}.
 */
final class RedisMeters implements RedisObserver {
    private final MeterRegistry registry;
    private final Counter timeouts;
    private final Counter refused;
    private final Counter unavailable;
    private final Counter reconnects;

    /** The name of Lettuce's command completion timer. */
    static final String COMPLETION = "lettuce.command.completion";

    RedisMeters(MeterRegistry registry) {
        this.registry = registry;
        this.timeouts = errors("timeout");
        this.refused = errors("refused");
        this.unavailable = errors("unavailable");
        this.reconnects = Counter.builder("duplex.engine.reconnects")
                .description("Times Redis became reachable again after this node had lost it")
                .register(registry);
    }

    private Counter errors(String kind) {
        return Counter.builder("duplex.engine.command.errors")
                .description("Redis commands that failed: no answer in time (timeout), an error from Redis (refused), "
                        + "or no connection (unavailable)")
                .tag("error", kind)
                .register(registry);
    }

    @Override
    public CommandLatencyRecorder latencyRecorder() {
        // localDistinction off: the local address (a port per connection) would be a new label value at every reconnect.
        // No client-side percentiles and no default histogram (dozens of buckets per command): the buckets of
        // Metrics.LATENCY_BUCKETS, which Metrics adds to the completion timer.
        MicrometerOptions options = MicrometerOptions.builder()
                .enable()
                .histogram(false)
                .targetPercentiles(new double[0])
                .localDistinction(false)
                .build();
        return new MicrometerCommandLatencyRecorder(registry, options);
    }

    @Override
    public void commandFailed(RedisException failure) {
        if (failure instanceof RedisCommandTimeoutException) {
            timeouts.increment();
        } else if (failure instanceof RedisCommandExecutionException) {
            refused.increment();
        } else {
            unavailable.increment();
        }
    }

    @Override
    public void reconnected() {
        reconnects.increment();
    }
}
