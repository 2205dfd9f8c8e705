package io.duplex.transport.sse;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code id:} of an event, which {@code EventSource} sends back as {@code Last-Event-ID} when it reconnects: where
 * the stream was in each of its channels. A stream of one channel writes {@code EPOCH:OFFSET} ({@code k3x9q2mfa7tz:42}); a
 * stream of several writes every channel's place, {@code CHANNEL=EPOCH:OFFSET} joined by commas
 * ({@code news=k3x9q2mfa7tz:42,sport=p8c2x4dw9hne:7}). Neither {@code =} nor {@code ,} can appear in a channel name or an
 * epoch, and a channel name may hold {@code :}, so an offset is read after the last {@code :}.
 */
public final class EventId {
    /** The longest id read: 256 channels of 255 characters and their places fit; a header of more is refused. */
    static final int MAX_LENGTH = 96 * 1024;
    private static final int MAX_EPOCH = 64;

    private EventId() {
    }

    /** {@code EPOCH:OFFSET}. */
    public static String of(StreamPosition position) {
        return position.epoch() + ":" + position.offset();
    }

    /** {@code CHANNEL=EPOCH:OFFSET,…}, in the map's order. */
    public static String of(Map<ChannelName, StreamPosition> positions) {
        StringBuilder out = new StringBuilder(positions.size() * 32);
        for (Map.Entry<ChannelName, StreamPosition> entry : positions.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(entry.getKey().value()).append('=').append(of(entry.getValue()));
        }
        return out.toString();
    }

    /** One channel's {@code CHANNEL=EPOCH:OFFSET}. */
    static String of(ChannelName channel, StreamPosition position) {
        return channel.value() + '=' + of(position);
    }

    /**
     * Reads an id (or a {@code since}) into each channel's place. A bare {@code EPOCH:OFFSET} is the place of
     * {@code single}, the stream's one channel; null {@code single} (a stream of several channels) refuses it.
     *
     * @param what what the text is, for the error: {@code Last-Event-ID} or {@code since}
     */
    static Map<ChannelName, StreamPosition> parse(String text, ChannelName single, String what) {
        if (text.length() > MAX_LENGTH) {
            throw bad(what, "is " + text.length() + " characters long; the most is " + MAX_LENGTH, null);
        }
        Map<ChannelName, StreamPosition> positions = new LinkedHashMap<>();
        if (text.indexOf('=') < 0) {
            if (single == null) {
                throw bad(what, "must name each channel: CHANNEL=EPOCH:OFFSET,… (a stream of several channels)", text);
            }
            positions.put(single, position(text, what));
            return positions;
        }
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw bad(what, "must be CHANNEL=EPOCH:OFFSET,…", text);
            }
            ChannelName channel;
            try {
                channel = ChannelName.of(part.substring(0, eq));
            } catch (DuplexException e) {
                throw new DuplexException(ErrorCode.BAD_REQUEST, what + ": " + e.getMessage());
            }
            if (positions.put(channel, position(part.substring(eq + 1), what)) != null) {
                throw bad(what, "names channel '" + channel + "' twice", text);
            }
        }
        return positions;
    }

    /** {@code EPOCH:OFFSET}. */
    private static StreamPosition position(String text, String what) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon > MAX_EPOCH) {
            throw bad(what, "must be EPOCH:OFFSET, the id of the last event received", text);
        }
        String epoch = text.substring(0, colon);
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                throw bad(what, "has an epoch with a character that is not allowed (A-Z a-z 0-9 _ -)", text);
            }
        }
        String offset = text.substring(colon + 1);
        try {
            long value = Long.parseLong(offset);
            if (value >= 0 && offset.charAt(0) != '+') {
                return new StreamPosition(epoch, value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad(what, "must end in an offset, a whole number ≥ 0", text);
    }

    private static DuplexException bad(String what, String problem, String text) {
        String shown = text == null ? "" : " ('" + printable(text) + "')";
        return new DuplexException(ErrorCode.BAD_REQUEST, what + " " + problem + shown);
    }

    private static String printable(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> out.appendCodePoint(cp < 0x20 || cp == 0x7f ? '?' : cp));
        return out.toString();
    }
}
