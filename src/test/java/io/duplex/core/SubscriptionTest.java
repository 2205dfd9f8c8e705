package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.protocol.ServerFrame;
import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seam between recovered history and live messages: no gap, no duplicate, whatever arrived meanwhile. */
class SubscriptionTest {
    private static final ChannelName NEWS = ChannelName.of("news");

    private final FakeConnection connection = new FakeConnection(true);
    private final ClientSession session = new ClientSession("s", connection, Instant.EPOCH, 1000, 1_000_000, 100, (s, reason) -> { });

    private static ChannelMessage message(long offset) {
        return new ChannelMessage(NEWS, "E", offset, Payload.of(Json.createValue(offset)), Instant.EPOCH);
    }

    private static OutboundFrame push(long offset) {
        return OutboundFrame.of(new ServerFrame.MessagePush(message(offset)));
    }

    private List<Long> pushedOffsets() {
        return connection.sent.stream().filter(t -> t.contains("\"type\":\"message\""))
                .map(t -> Long.parseLong(t.replaceAll(".*\"offset\":(\\d+).*", "$1"))).toList();
    }

    @Test
    void messagesThatArriveWhileHistoryIsReadAreSentAfterItWithoutDuplicates() {
        Subscription subscription = new Subscription(session, NEWS, 100);
        // Live messages 3, 4, 5 arrive while history is being read; history says the head is 4.
        subscription.deliver(message(3), push(3));
        subscription.deliver(message(4), push(4));
        subscription.deliver(message(5), push(5));
        subscription.activate(new ServerFrame.Subscribed(1, NEWS, "E", 4, true), new StreamPosition("E", 4),
                List.of(message(2), message(3), message(4)));
        subscription.deliver(message(5), push(5));
        subscription.deliver(message(6), push(6));
        assertTrue(connection.sent.get(0).contains("\"type\":\"subscribed\""), "the reply comes first");
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), pushedOffsets());
    }

    @Test
    void withoutRecoveryOnlyMessagesAfterTheAnnouncedOffsetAreSent() {
        Subscription subscription = new Subscription(session, NEWS, 100);
        subscription.deliver(message(7), push(7));
        subscription.deliver(message(8), push(8));
        subscription.activate(new ServerFrame.Subscribed(1, NEWS, "E", 7, null), new StreamPosition("E", 7), List.of());
        assertEquals(List.of(8L), pushedOffsets());
    }

    @Test
    void tooManyHeldMessagesAreRefused() {
        Subscription subscription = new Subscription(session, NEWS, 2);
        assertTrue(subscription.deliver(message(1), push(1)));
        assertTrue(subscription.deliver(message(2), push(2)));
        assertEquals(false, subscription.deliver(message(3), push(3)));
    }
}
