package io.duplex.stomp.door;

import io.duplex.channel.ChannelName;
import io.duplex.stomp.StompException;

/** STOMP destinations onto channels: {@code /topic/{channel}}, and nothing else. */
final class Destinations {
    static final String PREFIX = "/topic/";

    private Destinations() {
    }

    /** The channel of a SUBSCRIBE's or SEND's {@code destination}. */
    static ChannelName channel(String destination) {
        if (destination == null) {
            throw new StompException("a destination header is required: /topic/{channel}");
        }
        if (!destination.startsWith(PREFIX)) {
            throw new StompException("destination '" + shorten(destination) + "' is not /topic/{channel}");
        }
        // An invalid name is the channel's own error (invalid_channel), as on every door.
        return ChannelName.of(destination.substring(PREFIX.length()));
    }

    private static String shorten(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }
}
