package io.duplex.pusher;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import java.nio.charset.StandardCharsets;

/**
 * What core's frames are for the Pusher clients of one app: a channel message is the Pusher event it holds
 * ({@link PusherEvent}), shared by every socket of the app, except the socket the event names in {@code socket_id}
 * (subscriptions are tagged with their socket id); the start of a subscription is
 * {@code pusher_internal:subscription_succeeded} (with the presence members the door read for a presence channel); a
 * direct message of the REST API is the event {@value #DIRECT_EVENT}, outside any channel.
 */
final class PusherFraming implements Framing {
    /** The event a Pusher client receives for a direct message ({@code POST /api/sessions/{id}/messages}). */
    static final String DIRECT_EVENT = "duplex:direct";

    private final String appId;
    private final PusherSockets sockets;

    PusherFraming(String appId, PusherSockets sockets) {
        this.appId = appId;
        this.sockets = sockets;
    }

    @Override
    public OutboundFrame message(ChannelMessage message, String tag) {
        return frame(PusherEvent.fromDuplex(message.data()).frame(name(message.channel())));
    }

    @Override
    public String excluded(ChannelMessage message) {
        return PusherEvent.fromDuplex(message.data()).socketId();
    }

    @Override
    public OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag) {
        PusherSocket socket = tag == null ? null : sockets.get(tag);
        String name = name(channel);
        return frame(PusherFrames.subscriptionSucceeded(name, socket == null ? null : socket.takeSubscribedData(name)));
    }

    @Override
    public OutboundFrame direct(Payload data) {
        return frame(PusherFrames.event(DIRECT_EVENT, null, data.json()));
    }

    /** The channel's name as the app's clients know it. */
    private String name(ChannelName channel) {
        // Sockets of this app subscribe only to its own channels, so the mapping back always succeeds.
        return PusherChannel.fromDuplex(appId, channel).map(PusherChannel::name).orElse(channel.value());
    }

    static OutboundFrame frame(String text) {
        return new OutboundFrame(text, text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Override
    public String toString() {
        return "pusher";
    }
}
