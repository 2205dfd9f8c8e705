package io.duplex.core;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import java.time.Instant;

/**
 * What a door sends its clients for what core has to tell them, in the door's own protocol: protocol v1's JSON frames
 * on {@code /ws}, an SSE event, a STOMP {@code MESSAGE}, a Pusher event. Core decides when and in what order (the
 * recovery seam, duplicates, gaps stay in {@link Subscription}); the framing only decides the bytes, so every door
 * gets the same guarantees.
 *
 * <p>A framing is a stateless singleton per door (per app for Pusher): {@link Node} encodes a channel's message once
 * per framing and hands every subscriber of that framing the same frame, unless the frame depends on the
 * subscription ({@link #shared()} false: STOMP's {@code subscription} header).
 */
public interface Framing {
    /** Protocol v1 ({@code /ws}). */
    Framing V1 = new V1Framing();

    /**
     * The frame of a channel's message for a subscription.
     *
     * @param tag what the door named the subscription when it subscribed (STOMP's subscription id), or null
     */
    OutboundFrame message(ChannelMessage message, String tag);

    /**
     * The tag of the one subscription of this framing that must not receive the message, or null (the default): a
     * Pusher event's {@code socket_id}, its sender's or the one an HTTP API trigger excluded. Asked once per message per
     * framing in a fan-out; a subscription so excluded still counts the message as sent (its offset moves on).
     */
    default String excluded(ChannelMessage message) {
        return null;
    }

    /** Whether {@link #message} ignores the tag, so one frame serves every subscriber of this framing. */
    default boolean shared() {
        return true;
    }

    /**
     * Sent first when a subscription starts, before the recovered messages; null to send nothing.
     *
     * @param id        the request's id in the door's protocol (v1's command id), or 0
     * @param position  the channel's position the subscription starts from
     * @param recovered null when the client asked for no recovery; else whether every missed message follows (false:
     *                  they cannot be recovered, and the client must reload what it shows)
     */
    OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag);

    /** A direct message to one session; null when the door has no such thing (the push is refused). */
    OutboundFrame direct(Payload data);

    /** A reminder that the session's token expires at {@code expiresAt}; null when the door has no such thing. */
    default OutboundFrame refreshHint(Instant expiresAt) {
        return null;
    }
}
