package io.duplex.protocol;

import io.duplex.channel.ChannelMessage;

/**
 * A channel message as a bridge sends it out (the value of a Kafka record):
 * {@code {"channel":"c","epoch":"E","offset":42,"time":"2026-01-02T03:04:05.678Z","user":"u","data":…}}, where
 * {@code user} is null for an anonymous publisher and {@code data} is the message as it was published.
 */
public final class ExportedMessage {
    private ExportedMessage() {
    }

    public static String json(ChannelMessage message) {
        return new JsonText(96 + message.data().json().length())
                .field("channel", message.channel().value())
                .field("epoch", message.epoch())
                .field("offset", message.offset())
                .field("time", message.time().toString())
                .field("user", message.publisher().user())
                .raw("data", message.data().json())
                .close();
    }
}
