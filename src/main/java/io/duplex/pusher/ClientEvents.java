package io.duplex.pusher;

import io.duplex.broker.PublishRequest;
import io.duplex.channel.Publisher;
import io.duplex.core.Node;
import java.nio.charset.StandardCharsets;

/**
 * Client events ({@code client-…}): sent by a socket to the other subscribers of a private or presence channel it is
 * subscribed to, never back to itself, with the sender's {@code user_id} on a presence channel. Held to
 * {@code pusher.client.events.rate} per socket and {@code pusher.client.event.max.bytes}; an event over either is not
 * delivered and is answered {@code pusher:error} 4301, the socket stays open.
 */
final class ClientEvents {
    private static final int MAX_NAME = 200;

    private final Node node;
    private final int maxBytes;

    ClientEvents(Node node, int maxBytes) {
        this.node = node;
        this.maxBytes = maxBytes;
    }

    void send(PusherSocket socket, ClientMessage.ClientEvent event) {
        PusherChannel channel = PusherChannel.of(socket.app().id(), event.channel())
                .orElseThrow(() -> new PusherError(null, "Client event rejected - invalid channel name"));
        if (!channel.kind().authorised()) {
            throw new PusherError(null, "Client event rejected - only supported on private and presence channels");
        }
        if (!socket.session().channels().contains(channel.duplex())) {
            throw new PusherError(null, "Client event rejected - not subscribed to channel " + channel.name());
        }
        if (event.event().length() > MAX_NAME) {
            throw new PusherError(null, "Client event rejected - the event name is over " + MAX_NAME + " characters");
        }
        int bytes = event.data().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new PusherError(4301, "Client event rejected - data is " + bytes + " bytes; the most is " + maxBytes);
        }
        if (!socket.tryClientEvent()) {
            throw new PusherError(4301, "Client event rejected due to rate limit");
        }
        String user = socket.memberships().get(channel.name());
        PusherEvent pusherEvent = new PusherEvent(event.event(), event.data(), user, socket.id());
        node.publish(PublishRequest.of(channel.duplex(), pusherEvent.toDuplex(), Publisher.of(PusherDoor.DOOR, user)));
    }
}
