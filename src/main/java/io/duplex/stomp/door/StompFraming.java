package io.duplex.stomp.door;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import io.duplex.stomp.Bodies;
import io.duplex.stomp.StompCommand;
import io.duplex.stomp.StompEncoder;
import io.duplex.stomp.StompFrame;
import io.duplex.stomp.StompHeaders;
import io.duplex.stomp.StompVersion;
import java.util.EnumMap;
import java.util.Map;

/**
 * STOMP's frames for what core sends: a channel's message is a {@code MESSAGE} frame naming the subscription (the
 * tag), so it is written per subscriber ({@link #shared()} false). One framing per STOMP version, since escaping differs.
 * A subscription starts with nothing (a RECEIPT, when asked for, is the door's), there are no direct messages (a REST
 * push to a STOMP session is refused) and no refresh hints (STOMP cannot refresh a token: at expiry the session ends).
 */
final class StompFraming implements Framing {
    private static final Map<StompVersion, StompFraming> BY_VERSION = new EnumMap<>(StompVersion.class);

    static {
        for (StompVersion version : StompVersion.values()) {
            BY_VERSION.put(version, new StompFraming(version));
        }
    }

    private final StompVersion version;
    /**
     * The body of the message being fanned out: asked once per subscriber, worked out once per message (a string's data
     * is parsed to get its text). Fan-outs of other messages on other threads only replace it.
     */
    private volatile Converted last;

    private record Converted(ChannelMessage message, Bodies.Body body) {
    }

    private StompFraming(StompVersion version) {
        this.version = version;
    }

    static StompFraming of(StompVersion version) {
        return BY_VERSION.get(version);
    }

    /** The destination of a channel: {@code /topic/{channel}}. */
    static String destination(ChannelName channel) {
        return Destinations.PREFIX + channel.value();
    }

    @Override
    public OutboundFrame message(ChannelMessage message, String tag) {
        Bodies.Body body = body(message);
        StompHeaders headers = StompHeaders.builder()
                .add("subscription", tag)
                .add("message-id", Long.toString(message.offset()))
                .add("destination", destination(message.channel()))
                .add("content-type", body.contentType())
                .add("epoch", message.epoch())
                .build();
        return frame(new StompFrame(StompCommand.MESSAGE, headers, body.text()));
    }

    private Bodies.Body body(ChannelMessage message) {
        Converted converted = last;
        if (converted == null || converted.message() != message) {
            converted = new Converted(message, Bodies.of(message.data()));
            last = converted;
        }
        return converted.body();
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag) {
        return null;
    }

    @Override
    public OutboundFrame direct(Payload data) {
        return null;
    }

    OutboundFrame frame(StompFrame frame) {
        String text = StompEncoder.encode(frame, version);
        return OutboundFrame.of(text);
    }

    @Override
    public String toString() {
        return "stomp " + version.label();
    }
}
