package io.duplex.core;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.protocol.ServerFrame;
import java.time.Instant;

/** Protocol v1's frames ({@code docs/protocol.md}). */
final class V1Framing implements Framing {
    @Override
    public OutboundFrame message(ChannelMessage message, String tag) {
        return OutboundFrame.of(new ServerFrame.MessagePush(message));
    }

    @Override
    public OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag) {
        return OutboundFrame.of(new ServerFrame.Subscribed(id, channel, position.epoch(), position.offset(), recovered));
    }

    @Override
    public OutboundFrame direct(Payload data) {
        return OutboundFrame.of(new ServerFrame.DirectPush(data));
    }

    @Override
    public OutboundFrame refreshHint(Instant expiresAt) {
        return OutboundFrame.of(new ServerFrame.RefreshHint(expiresAt));
    }

    @Override
    public String toString() {
        return "v1";
    }
}
