package io.duplex.channel;

import java.time.Instant;

/**
 * One message of a channel's history, as the engine assigned it: its place in the stream, its data, and who published
 * it (kept by the engine, not pushed to subscribers).
 */
public record ChannelMessage(ChannelName channel, String epoch, long offset, Payload data, Instant time, Publisher publisher) {

    /** Where the message is in its channel's history. */
    public StreamPosition position() {
        return new StreamPosition(epoch, offset);
    }
}
