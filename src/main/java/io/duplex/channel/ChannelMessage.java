package io.duplex.channel;

import java.time.Instant;

/** One message of a channel's history, as the engine assigned it: its place in the stream and its data. */
public record ChannelMessage(ChannelName channel, String epoch, long offset, Payload data, Instant time) {
}
