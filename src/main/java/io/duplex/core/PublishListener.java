package io.duplex.core;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;

/**
 * Told of the publishes this node takes, through every door: how the bridges send channel messages out. Each accepted
 * message is reported once, by the node that accepted it, so a cluster hands every message to a bridge once.
 */
public interface PublishListener {
    /** Hears nothing. */
    PublishListener NONE = new PublishListener() {
        @Override
        public void check(ChannelName channel, Publisher publisher) {
        }

        @Override
        public void accepted(ChannelMessage message) {
        }
    };

    /**
     * Before the engine takes a publish: throws a {@link io.duplex.error.DuplexException} ({@code engine_unavailable})
     * to refuse it, when the message could not be passed on as promised. Must not block.
     */
    void check(ChannelName channel, Publisher publisher);

    /**
     * After the engine published a message now (not a repeat of an earlier publish with the same idempotency key). Its
     * {@link ChannelMessage#publisher()} says which door it came through. Must not block: the publisher waits.
     */
    void accepted(ChannelMessage message);
}
