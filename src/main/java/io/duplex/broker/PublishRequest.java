package io.duplex.broker;

import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;

/**
 * One message to publish, whichever door it came through: the channel, the data, who publishes it, and optionally the
 * publisher's idempotency key for it.
 *
 * <p>An idempotency key is scoped by its publisher's door and user ({@link #scopedKey}): the same key sent over REST
 * and over WebSocket, by two users, or by a bridge, names different messages. Within one scope, a second request with
 * the same key within the engine's window ({@code publish.idempotency.window}) is not published again: the engine
 * answers it with the first one's place ({@link PublishResult.Outcome#DUPLICATE}) if it is the same message (same
 * channel, same data — {@link #fingerprint}), and refuses it ({@link PublishResult.Outcome#KEY_REUSED}) if not.
 *
 * @param idempotencyKey null when the publisher gave none: the message is published whatever came before
 */
public record PublishRequest(ChannelName channel, Payload data, Publisher publisher, IdempotencyKey idempotencyKey) {

    public PublishRequest {
        if (channel == null || data == null || publisher == null) {
            throw new IllegalArgumentException("a publish request needs a channel, data and a publisher");
        }
    }

    /** A request without an idempotency key. */
    public static PublishRequest of(ChannelName channel, Payload data, Publisher publisher) {
        return new PublishRequest(channel, data, publisher, null);
    }

    /** The same request with this idempotency key (null: none). */
    public PublishRequest withIdempotencyKey(IdempotencyKey key) {
        return new PublishRequest(channel, data, publisher, key);
    }

    /** Whether the request carries an idempotency key. */
    public boolean idempotent() {
        return idempotencyKey != null;
    }

    /**
     * The key as the engine stores it: a SHA-256 (hex) of the publisher's door, its user and the key, so that keys of
     * different publishers never meet, and a key of any length or content is stored as 64 plain characters.
     */
    public String scopedKey() {
        requireKey();
        return Digests.sha256(publisher.door().name(), publisher.user() == null ? "" : publisher.user(), idempotencyKey.value());
    }

    /**
     * What makes two requests with the same key the same message: a SHA-256 (hex) of the channel and the data in a
     * canonical form (object members sorted by name), so a retry that wrote the members of an object in another
     * order is still the same message.
     */
    public String fingerprint() {
        requireKey();
        return Digests.sha256(channel.value(), Digests.canonical(data.value()));
    }

    private void requireKey() {
        if (idempotencyKey == null) {
            throw new IllegalStateException("the request to " + channel + " has no idempotency key");
        }
    }
}
