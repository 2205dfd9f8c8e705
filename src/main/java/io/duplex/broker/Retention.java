package io.duplex.broker;

import java.time.Duration;

/**
 * What an engine keeps and for how long: the newest {@code historySize} messages of a channel for {@code historyTtl}
 * ({@code history.size}, {@code history.ttl}), and idempotency keys for {@code idempotencyWindow}
 * ({@code publish.idempotency.window}).
 */
public record Retention(int historySize, Duration historyTtl, Duration idempotencyWindow) {
    /** The default idempotency window, as {@code publish.idempotency.window} has it. */
    public static final Duration DEFAULT_IDEMPOTENCY_WINDOW = Duration.ofMinutes(10);

    public Retention {
        if (historySize < 0 || historyTtl.isNegative() || historyTtl.isZero() || idempotencyWindow.isNegative()
                || idempotencyWindow.isZero()) {
            throw new IllegalArgumentException("retention needs a size ≥ 0 and positive durations: " + historySize + ", "
                    + historyTtl + ", " + idempotencyWindow);
        }
    }

    /** History as given, idempotency keys for the default window. */
    public static Retention of(int historySize, Duration historyTtl) {
        return new Retention(historySize, historyTtl, DEFAULT_IDEMPOTENCY_WINDOW);
    }
}
