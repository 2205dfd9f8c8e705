package io.duplex.transport.sse;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DisconnectReason;
import java.time.Duration;

/**
 * The text of the events a stream sends (the {@code text/event-stream} format of the HTML standard): each a block of
 * {@code field: value} lines ended by an empty line. Data is compact JSON, one line: JSON escapes every line break
 * inside a string, and channel names, epochs and reason phrases need no escaping at all.
 */
final class SseFrames {
    /** A comment: ignored by every client, it keeps proxies and the client's own idle timers from closing the stream. */
    static final String PING = ": ping\n\n";

    private SseFrames() {
    }

    /** The first bytes of a stream: how long to wait before reconnecting, and the session's id for operators. */
    static String prelude(Duration retry, String session) {
        return "retry: " + retry.toMillis() + "\n: duplex session " + session + "\n\n";
    }

    /**
     * A message: {@code event: message}, its place as the id and, as data, the message as REST history shows it, with its
     * channel: {@code {"channel":"news","offset":42,"data":…,"time":"…"}}.
     */
    static String message(ChannelMessage message, String id) {
        Payload data = message.data();
        return new StringBuilder(96 + data.json().length() + id.length())
                .append("id: ").append(id)
                .append("\nevent: message\ndata: {\"channel\":\"").append(message.channel().value())
                .append("\",\"offset\":").append(message.offset())
                .append(",\"data\":").append(data.json())
                .append(",\"time\":\"").append(message.time()).append("\"}\n\n")
                .toString();
    }

    /**
     * The start of a channel's stream. {@code recovered} null: no place was asked for, the stream starts at the channel's
     * latest. True: what was missed follows. False: it cannot (another epoch, past retention, too much): a
     * {@code reset} event, whose id is the channel's latest, tells the page to reload the channel's state (REST
     * history) before it trusts the stream again.
     *
     * @param id the event's id, or null for none (a recovery: the client's place stays what it sent until the
     *           recovered messages move it)
     */
    static String subscribed(ChannelName channel, StreamPosition position, Boolean recovered, String id) {
        boolean reset = Boolean.FALSE.equals(recovered);
        StringBuilder out = new StringBuilder(160);
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        out.append("event: ").append(reset ? "reset" : "subscribed")
                .append("\ndata: {\"channel\":\"").append(channel.value())
                .append("\",\"epoch\":\"").append(position.epoch())
                .append("\",\"offset\":").append(position.offset());
        if (recovered != null) {
            out.append(",\"recovered\":").append(recovered);
        }
        if (reset) {
            out.append(",\"reason\":\"the messages since the given place are no longer in history (another epoch, past "
                    + "retention, or more than a stream may be sent at once): reload the channel's history\"");
        }
        return out.append("}\n\n").toString();
    }

    /** A message sent to this session alone ({@code POST /api/sessions/{id}/messages}): {@code event: direct}. */
    static String direct(Payload data) {
        return "event: direct\ndata: " + data.json() + "\n\n";
    }

    /** The last event of a stream the server ends: why, with the code the WebSocket door would close with. */
    static String close(DisconnectReason reason) {
        return "event: close\ndata: {\"code\":" + reason.code() + ",\"reason\":\"" + reason.reason() + "\"}\n\n";
    }
}
