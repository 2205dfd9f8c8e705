package io.duplex.broker.memory;

import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The idempotency keys the memory engine saw within the window, each with the fingerprint and the place of the message
 * it published. About 250 bytes per key: at 1,000 keyed publishes a second and the default 10-minute window, some
 * 150 MB; a node that takes that many keeps the window short.
 */
final class MemoryKeys {
    /**
     * A key's first publish: what it was (its fingerprint: the data itself is not kept), where it landed, and until when
     * the key holds.
     */
    private record Seen(String fingerprint, ChannelName channel, String epoch, long offset, Instant time, Instant expiresAt) {
    }

    private final ConcurrentHashMap<String, Seen> keys = new ConcurrentHashMap<>();
    private final Duration window;
    private final Clock clock;

    MemoryKeys(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /**
     * Publishes through {@code publish} unless the request's key was seen within the window. Decided and done under the
     * key's lock in the map, so two requests with one key, at once, publish once.
     */
    PublishResult publish(PublishRequest request, Supplier<ChannelMessage> publish) {
        String fingerprint = request.fingerprint();
        PublishResult[] result = new PublishResult[1];
        keys.compute(request.scopedKey(), (key, seen) -> {
            Instant now = clock.instant();
            if (seen != null && seen.expiresAt().isAfter(now)) {
                result[0] = fingerprint.equals(seen.fingerprint())
                        ? PublishResult.duplicate(new ChannelMessage(seen.channel(), seen.epoch(), seen.offset(),
                                request.data(), seen.time(), request.publisher()))
                        : PublishResult.keyReused();
                return seen;
            }
            ChannelMessage message = publish.get();
            result[0] = PublishResult.published(message);
            return new Seen(fingerprint, message.channel(), message.epoch(), message.offset(), message.time(), now.plus(window));
        });
        return result[0];
    }

    /** Forgets the keys whose window has passed. */
    void expire() {
        Instant now = clock.instant();
        keys.values().removeIf(seen -> !seen.expiresAt().isAfter(now));
    }
}
