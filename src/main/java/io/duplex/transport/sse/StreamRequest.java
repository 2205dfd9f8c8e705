package io.duplex.transport.sse;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one event stream asks for, read and checked before the stream starts (a mistake is a 400, not a broken stream):
 * its channels, in the order asked, and where to resume each of them.
 *
 * @param channels the channels, each once
 * @param since    where the client is in some of them (from {@code Last-Event-ID}, else {@code ?since=}); the others
 *                 start at their latest
 * @param single   whether this is the stream of one channel ({@code /api/channels/{channel}/events}), whose ids are
 *                 {@code EPOCH:OFFSET}
 */
record StreamRequest(List<ChannelName> channels, Map<ChannelName, StreamPosition> since, boolean single) {
    static final String LAST_EVENT_ID = "Last-Event-ID";

    StreamRequest {
        channels = List.copyOf(channels);
        since = Map.copyOf(since);
    }

    /** {@code GET /api/channels/{channel}/events}. */
    static StreamRequest ofChannel(String channel, String lastEventId, String since) {
        ChannelName name = channel(channel);
        return new StreamRequest(List.of(name), positions(List.of(name), name, lastEventId, since), true);
    }

    /** {@code GET /api/events?channel=a&channel=b}: at least one channel, at most {@code max}. */
    static StreamRequest ofChannels(String[] channels, int max, String lastEventId, String since) {
        if (channels == null || channels.length == 0) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "name the channels to stream: /api/events?channel=a&channel=b");
        }
        Set<ChannelName> names = new LinkedHashSet<>();
        for (String channel : channels) {
            ChannelName name = channel(channel);
            if (!names.add(name)) {
                throw new DuplexException(ErrorCode.BAD_REQUEST, "channel '" + name + "' is asked for twice");
            }
        }
        if (names.size() > max) {
            throw new DuplexException(ErrorCode.LIMIT_EXCEEDED, "a stream may carry " + max
                    + " channels at most (subscriptions.max), not " + names.size());
        }
        List<ChannelName> list = new ArrayList<>(names);
        return new StreamRequest(list, positions(list, list.size() == 1 ? list.get(0) : null, lastEventId, since), false);
    }

    /** Whether the client asked to resume (it then hears whether it could, from each channel's first event). */
    boolean resuming() {
        return !since.isEmpty();
    }

    private static ChannelName channel(String value) {
        if (value == null) {
            throw new DuplexException(ErrorCode.INVALID_CHANNEL, "channel name is empty");
        }
        return ChannelName.of(value);
    }

    /** {@code Last-Event-ID} wins: EventSource sends it on reconnecting to the same URL, whose {@code since} is older. */
    private static Map<ChannelName, StreamPosition> positions(List<ChannelName> channels, ChannelName single, String lastEventId,
            String since) {
        String what = LAST_EVENT_ID;
        String text = lastEventId;
        if (text == null || text.isBlank()) {
            what = "since";
            text = since;
        }
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        Map<ChannelName, StreamPosition> positions = EventId.parse(text.strip(), single, what);
        for (ChannelName channel : positions.keySet()) {
            if (!channels.contains(channel)) {
                throw new DuplexException(ErrorCode.BAD_REQUEST,
                        what + " names channel '" + channel + "', which this stream does not carry");
            }
        }
        return positions;
    }
}
