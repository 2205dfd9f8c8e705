package io.duplex.core;

import io.duplex.channel.Door;
import io.duplex.error.DisconnectReason;

/**
 * What the node reports as it works, for whoever counts it (the metrics): a handful of calls at the points where
 * something an operator watches happens. Each is made once per event, or once per message for a whole fan-out, on the
 * thread that did the work: an implementation must be cheap and must never block. Every method does nothing unless
 * overridden.
 */
public interface NodeObserver {
    /** Observes nothing. */
    NodeObserver NONE = new NodeObserver() {
    };

    /** A WebSocket connection was opened and registered (it has yet to send {@code connect}). */
    default void connectionOpened() {
    }

    /**
     * A registered connection closed, once per connection: by Duplex for {@code reason} (then {@code code} is its code), or
     * as the transport reported it (by the client, the network, or the container itself: a frame too large, an idle
     * timeout), in which case {@code reason} is {@link DisconnectReason#CLIENT_CLOSED} and {@code code} the close code
     * reported (1000, 1006, 1009…), which a client may choose.
     */
    default void connectionClosed(DisconnectReason reason, int code) {
    }

    /** A WebSocket handshake was refused before any frame was read (origin, plain ws:// in production, handshake rate). */
    default void handshakeRefused(DisconnectReason reason) {
    }

    /** The engine took a message published through {@code door}. */
    default void published(Door door) {
    }

    /** A publish through {@code door} repeated an idempotency key: answered with the first one's place, not published. */
    default void duplicate(Door door) {
    }

    /** One live message was handed to {@code sessions} local subscribers' outbound queues: once per message. */
    default void delivered(int sessions) {
    }

    /** A session's outbound queue was dropped with {@code frames} frames in it that were never sent. */
    default void dropped(int frames) {
    }

    /** A subscribe with {@code since}: whether it recovered, and how many missed messages it sent from history. */
    default void recovery(boolean recovered, int messages) {
    }

    /** A subscription that had missed live messages was filled in from history, without the client noticing. */
    default void gapRepaired() {
    }
}
