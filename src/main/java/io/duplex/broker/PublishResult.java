package io.duplex.broker;

import io.duplex.channel.ChannelMessage;

/**
 * What became of one {@link PublishRequest}.
 *
 * @param outcome whether it was published now, had been published before, or was refused
 * @param message {@link Outcome#PUBLISHED}: the message as stored and delivered. {@link Outcome#DUPLICATE}: the first
 *                publish's channel, epoch, offset and time, with this request's data and publisher. {@link Outcome#KEY_REUSED}: null
 */
public record PublishResult(Outcome outcome, ChannelMessage message) {

    /** What an engine did with a request. */
    public enum Outcome {
        /** Stored and delivered now. */
        PUBLISHED,
        /** The same message was published with the same key within the window: not stored or delivered again. */
        DUPLICATE,
        /** The key was used within the window for a different message (another channel or other data): refused. */
        KEY_REUSED
    }

    public static PublishResult published(ChannelMessage message) {
        return new PublishResult(Outcome.PUBLISHED, message);
    }

    public static PublishResult duplicate(ChannelMessage first) {
        return new PublishResult(Outcome.DUPLICATE, first);
    }

    public static PublishResult keyReused() {
        return new PublishResult(Outcome.KEY_REUSED, null);
    }
}
