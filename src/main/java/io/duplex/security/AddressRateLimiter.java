package io.duplex.security;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate limit per client address (the WebSocket handshake rate). Buckets that have refilled are forgotten,
 * and the number kept is bounded, so a flood from many addresses cannot grow memory without end.
 */
public final class AddressRateLimiter {
    /** Past this many addresses, quiet ones are swept at once instead of on the next sweep. */
    private static final int MAX_TRACKED = 100_000;

    private final int ratePerSecond;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public AddressRateLimiter(int ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
    }

    /** Counts one event from this address; false when the address is over its rate. */
    public boolean tryAcquire(String address, long nowNanos) {
        if (buckets.size() >= MAX_TRACKED) {
            sweep(nowNanos);
            if (buckets.size() >= MAX_TRACKED && !buckets.containsKey(address)) {
                // Every tracked address is busy: a distributed flood. Refuse newcomers rather than grow.
                return false;
            }
        }
        return buckets.computeIfAbsent(address, a -> new TokenBucket(ratePerSecond, nowNanos)).tryTake(nowNanos);
    }

    /** Forgets addresses whose bucket is full again (they have been quiet for a second or more). */
    public void sweep(long nowNanos) {
        buckets.values().removeIf(bucket -> bucket.full(nowNanos));
    }

    int tracked() {
        return buckets.size();
    }
}
