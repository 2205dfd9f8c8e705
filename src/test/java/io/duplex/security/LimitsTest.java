package io.duplex.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.config.Mode;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rate limits and the origin policy, with time and requests given explicitly. */
class LimitsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aTokenBucketAllowsABurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(5, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(bucket.tryTake(0));
        }
        assertFalse(bucket.tryTake(0), "burst spent");
        assertTrue(bucket.tryTake(SECOND / 5), "one more after a fifth of a second");
        assertFalse(bucket.tryTake(SECOND / 5));
        assertTrue(bucket.full(2 * SECOND));
    }

    @Test
    void addressesAreLimitedSeparatelyAndQuietOnesAreForgotten() {
        AddressRateLimiter limiter = new AddressRateLimiter(2);
        assertTrue(limiter.tryAcquire("10.0.0.1", 0));
        assertTrue(limiter.tryAcquire("10.0.0.1", 0));
        assertFalse(limiter.tryAcquire("10.0.0.1", 0));
        assertTrue(limiter.tryAcquire("10.0.0.2", 0), "another address has its own bucket");
        limiter.sweep(SECOND / 10);
        assertEquals(2, limiter.tracked(), "busy addresses are kept");
        limiter.sweep(5 * SECOND);
        assertEquals(0, limiter.tracked(), "refilled buckets are forgotten");
    }

    @Test
    void originsOnTheListAreAllowedWhateverTheirSpelling() {
        OriginPolicy policy = new OriginPolicy(Optional.of(List.of("https://app.example.com", "http://localhost:3000")), Mode.PRODUCTION);
        URI request = URI.create("wss://hub.example.com/ws");
        assertTrue(policy.allows("https://APP.example.com:443", request));
        assertTrue(policy.allows("http://localhost:3000", request));
        assertFalse(policy.allows("http://app.example.com", request), "another scheme is another origin");
        assertFalse(policy.allows("https://hub.example.com", request), "a list replaces same-origin");
        assertTrue(policy.allows(null, request), "no Origin: not a browser page");
    }

    @Test
    void productionWithoutAListAllowsOnlyTheNodesOwnOrigin() {
        OriginPolicy policy = new OriginPolicy(Optional.empty(), Mode.PRODUCTION);
        assertTrue(policy.allows("https://hub.example.com", URI.create("wss://hub.example.com/ws")));
        assertTrue(policy.allows("https://hub.example.com", URI.create("https://hub.example.com:443/ws")));
        assertTrue(policy.allows("http://127.0.0.1:8080", URI.create("ws://127.0.0.1:8080/ws")));
        assertFalse(policy.allows("https://evil.example", URI.create("wss://hub.example.com/ws")));
        assertFalse(policy.allows("http://hub.example.com", URI.create("wss://hub.example.com/ws")), "a plain page on a TLS hub");
        assertFalse(policy.allows("https://hub.example.com:8443", URI.create("wss://hub.example.com/ws")));
        assertFalse(policy.allows("null", URI.create("wss://hub.example.com/ws")));
    }

    @Test
    void devModeWithoutAListAllowsAnyOrigin() {
        assertTrue(new OriginPolicy(Optional.empty(), Mode.DEV).allows("https://evil.example", URI.create("ws://localhost/ws")));
    }
}
