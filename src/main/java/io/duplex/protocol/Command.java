package io.duplex.protocol;

import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;

/** A command a client sends over WebSocket, decoded and validated once by {@link Codec}. */
public sealed interface Command {

    /** The client's id for the command; the reply carries the same id. */
    long id();

    /** {@code {"id":1,"type":"connect","token":"…"}}; the token is null when the client sent none. */
    record Connect(long id, String token) implements Command {
    }

    /** {@code {"id":2,"type":"subscribe","channel":"news","since":{"epoch":"E","offset":38}}}; since is optional. */
    record Subscribe(long id, ChannelName channel, StreamPosition since) implements Command {
    }

    /** {@code {"id":4,"type":"unsubscribe","channel":"news"}}. */
    record Unsubscribe(long id, ChannelName channel) implements Command {
    }

    /**
     * {@code {"id":5,"type":"publish","channel":"news","data":{…},"idempotencyKey":"…"}}; the key is optional (null
     * without one).
     */
    record Publish(long id, ChannelName channel, Payload data, IdempotencyKey idempotencyKey) implements Command {
    }

    /** {@code {"id":6,"type":"presence","channel":"news"}}. */
    record PresenceQuery(long id, ChannelName channel) implements Command {
    }

    /** {@code {"id":8,"type":"refresh","token":"…"}}: a fresh token for the same user, before the current one expires. */
    record Refresh(long id, String token) implements Command {
    }

    /** {@code {"id":7,"type":"ping"}}. */
    record Ping(long id) implements Command {
    }
}
