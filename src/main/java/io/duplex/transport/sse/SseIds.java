package io.duplex.transport.sse;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids of one stream. A stream of one channel sends the ids its frames carry ({@code EPOCH:OFFSET}, the same for
 * every stream of the channel, so one text serves them all). A stream of several channels must say where it is in each
 * of them, which no shared frame can: its frames carry their own channel's place ({@code CHANNEL=EPOCH:OFFSET}), and the
 * stream, as it writes each one, records that place and writes every channel's instead. Written in order, on the
 * stream's one write at a time, so the id of each event is exactly what the client has received.
 */
abstract class SseIds implements SseConnection.Ids {
    private static final String ID = "id: ";

    static SseIds of(StreamRequest stream) {
        return stream.single() ? new Single() : new Several(stream.channels(), stream.since());
    }

    /** One channel: the frames' ids are the stream's. */
    static final class Single extends SseIds {
        @Override
        public String rewrite(String text) {
            return text;
        }
    }

    /** Several channels: each frame's id becomes every channel's place. */
    static final class Several extends SseIds {
        private final List<ChannelName> channels;
        /** Only touched by the stream's writes, one at a time. */
        private final Map<ChannelName, StreamPosition> places;

        Several(List<ChannelName> channels, Map<ChannelName, StreamPosition> since) {
            this.channels = channels;
            this.places = new HashMap<>(since);
        }

        @Override
        public synchronized String rewrite(String text) {
            if (!text.startsWith(ID)) {
                return text;
            }
            int end = text.indexOf('\n');
            String id = text.substring(ID.length(), end);
            int eq = id.indexOf('=');
            int colon = id.lastIndexOf(':');
            ChannelName channel = new ChannelName(id.substring(0, eq));
            places.put(channel, new StreamPosition(id.substring(eq + 1, colon), Long.parseLong(id.substring(colon + 1))));
            StringBuilder out = new StringBuilder(text.length() + channels.size() * 32).append(ID);
            boolean first = true;
            for (ChannelName c : channels) {
                StreamPosition place = places.get(c);
                if (place != null) {
                    if (!first) {
                        out.append(',');
                    }
                    out.append(EventId.of(c, place));
                    first = false;
                }
            }
            return out.append(text, end, text.length()).toString();
        }
    }
}
