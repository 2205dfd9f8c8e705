package io.duplex.security;

/**
 * A rate limit: {@code rate} events per second on average, bursts of up to {@code rate}. Thread-safe.
 * Time is passed in (nanoseconds) so callers and tests decide the clock.
 */
public final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(int ratePerSecond, long nowNanos) {
        this.perNano = ratePerSecond / 1e9;
        this.capacity = ratePerSecond;
        this.tokens = ratePerSecond;
        this.last = nowNanos;
    }

    /** Takes one event's token; false when the rate is exceeded. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely: the key has been quiet and its bucket can be forgotten. */
    public synchronized boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - last;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            last = nowNanos;
        }
    }
}
