package io.duplex.transport.sse;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import java.time.Instant;

/**
 * Core's frames as Server-Sent Events ({@link SseFrames}). Two framings, each shared by all the streams of its kind so
 * that a message is written once for all of them: streams of one channel, whose ids are {@code EPOCH:OFFSET}, and streams
 * of several, whose frames carry {@code CHANNEL=EPOCH:OFFSET} for {@link SseIds} to widen per stream.
 */
final class SseFraming implements Framing {
    static final SseFraming SINGLE = new SseFraming(false);
    static final SseFraming SEVERAL = new SseFraming(true);

    /** Whether ids name their channel. */
    private final boolean named;

    private SseFraming(boolean named) {
        this.named = named;
    }

    static SseFraming of(StreamRequest stream) {
        return stream.single() ? SINGLE : SEVERAL;
    }

    @Override
    public OutboundFrame message(ChannelMessage message, String tag) {
        return frame(SseFrames.message(message, frameId(message.channel(), message.position())));
    }

    /**
     * A recovery that works carries no id: until the recovered messages move it, the client's place is the one it sent
     * (Last-Event-ID, or the URL's {@code since} that EventSource asks again with). Otherwise the id is the channel's
     * latest, where the stream now starts.
     */
    @Override
    public OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag) {
        String eventId = Boolean.TRUE.equals(recovered) ? null : frameId(channel, position);
        return frame(SseFrames.subscribed(channel, position, recovered, eventId));
    }

    @Override
    public OutboundFrame direct(Payload data) {
        return frame(SseFrames.direct(data));
    }

    /** A stream cannot be given a fresh token: the page is told to open a new stream with one before this one ends (4003). */
    @Override
    public OutboundFrame refreshHint(Instant expiresAt) {
        return frame("event: refresh\ndata: {\"expiresAt\":\"" + expiresAt + "\"}\n\n");
    }

    /** The id a frame carries for a channel's place. */
    String frameId(ChannelName channel, StreamPosition position) {
        return named ? EventId.of(channel, position) : EventId.of(position);
    }

    @Override
    public String toString() {
        return this == SINGLE ? "sse" : "sse (several channels)";
    }

    private static OutboundFrame frame(String text) {
        return OutboundFrame.of(text);
    }
}
