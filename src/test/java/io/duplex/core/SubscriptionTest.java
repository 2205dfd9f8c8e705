package io.duplex.core;

import io.duplex.broker.Publishing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.broker.History;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.core.Subscription.Outcome;
import io.duplex.protocol.ServerFrame;
import jakarta.json.Json;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seam between recovered history and live messages: no gap, no duplicate, whatever arrived meanwhile. */
class SubscriptionTest {
    private static final ChannelName NEWS = ChannelName.of("news");

    private final FakeConnection connection = new FakeConnection(true);
    private final ClientSession session = new ClientSession("s", connection, Instant.EPOCH, 1000, 1_000_000, 100, (s, reason) -> { },
            Runnable::run);

    private static ChannelMessage message(long offset) {
        return new ChannelMessage(NEWS, "E", offset, Payload.of(Json.createValue(offset)), Instant.EPOCH, Publishing.TEST);
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
        Subscription subscription = new Subscription(session, NEWS, null, 100);
        // Live messages 3, 4, 5 arrive while history is being read; history says the head is 4.
        subscription.deliver(message(3), push(3));
        subscription.deliver(message(4), push(4));
        subscription.deliver(message(5), push(5));
        subscription.activate(OutboundFrame.of(new ServerFrame.Subscribed(1, NEWS, "E", 4, true)), new StreamPosition("E", 4),
                List.of(message(2), message(3), message(4)));
        subscription.deliver(message(5), push(5));
        subscription.deliver(message(6), push(6));
        assertTrue(connection.sent.get(0).contains("\"type\":\"subscribed\""), "the reply comes first");
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), pushedOffsets());
    }

    @Test
    void withoutRecoveryOnlyMessagesAfterTheAnnouncedOffsetAreSent() {
        Subscription subscription = new Subscription(session, NEWS, null, 100);
        subscription.deliver(message(7), push(7));
        subscription.deliver(message(8), push(8));
        subscription.activate(OutboundFrame.of(new ServerFrame.Subscribed(1, NEWS, "E", 7, null)), new StreamPosition("E", 7), List.of());
        assertEquals(List.of(8L), pushedOffsets());
    }

    @Test
    void tooManyHeldMessagesAreRefused() {
        Subscription subscription = new Subscription(session, NEWS, null, 2);
        assertEquals(Outcome.OK, subscription.deliver(message(1), push(1)));
        assertEquals(Outcome.OK, subscription.deliver(message(2), push(2)));
        assertEquals(Outcome.OVERFLOW, subscription.deliver(message(3), push(3)));
    }

    private Subscription activeAt(long offset) {
        Subscription subscription = new Subscription(session, NEWS, null, 100);
        assertEquals(Outcome.OK, subscription.activate(OutboundFrame.of(new ServerFrame.Subscribed(1, NEWS, "E", offset, null)),
                new StreamPosition("E", offset), List.of()));
        return subscription;
    }

    private static History history(String epoch, long head, long... offsets) {
        return new History(epoch, head, Arrays.stream(offsets).mapToObj(SubscriptionTest::message).toList());
    }

    @Test
    void aMessagePastTheNextOffsetIsHeldUntilHistoryFillsTheGap() {
        Subscription subscription = activeAt(4);
        assertEquals(Outcome.OK, subscription.deliver(message(5), push(5)));
        // 6 and 7 were lost on the way: 8 starts a hold, and 9 waits in it.
        assertEquals(Outcome.GAP, subscription.deliver(message(8), push(8)));
        assertEquals(Outcome.OK, subscription.deliver(message(9), push(9)));
        assertEquals(5, subscription.offset(), "history is read after the last offset sent");
        assertEquals(List.of(5L), pushedOffsets());

        assertEquals(Outcome.OK, subscription.repair(history("E", 9, 6, 7, 8, 9)));
        subscription.deliver(message(10), push(10));
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), pushedOffsets(), "in order, each once");
    }

    @Test
    void aHeldMessageAfterAnotherGapAsksForAnotherRepair() {
        Subscription subscription = activeAt(1);
        assertEquals(Outcome.GAP, subscription.deliver(message(3), push(3)));
        subscription.deliver(message(6), push(6));
        // History was read when 3 was the latest; 4 and 5 were lost later.
        assertEquals(Outcome.GAP, subscription.repair(history("E", 3, 2, 3)));
        assertEquals(3, subscription.offset());
        assertEquals(Outcome.OK, subscription.repair(history("E", 6, 4, 5, 6)));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), pushedOffsets());
    }

    @Test
    void aGapHistoryNoLongerHoldsInterrupts() {
        Subscription subscription = activeAt(1);
        assertEquals(Outcome.GAP, subscription.deliver(message(5), push(5)));
        // Retention dropped 2 and 3.
        assertEquals(Outcome.INTERRUPTED, subscription.repair(history("E", 5, 4, 5)));
        assertEquals(Outcome.OK, subscription.deliver(message(6), push(6)), "nothing more is sent once interrupted");
        assertEquals(List.of(), pushedOffsets());
    }

    @Test
    void aNewEpochInterrupts() {
        Subscription live = activeAt(3);
        assertEquals(Outcome.INTERRUPTED, live.deliver(
                new ChannelMessage(NEWS, "F", 1, Payload.of(Json.createValue(1)), Instant.EPOCH, Publishing.TEST), push(1)));

        Subscription repairing = activeAt(3);
        assertEquals(Outcome.GAP, repairing.deliver(message(5), push(5)));
        assertEquals(Outcome.INTERRUPTED, repairing.repair(history("F", 2, 1, 2)));
        assertEquals(List.of(), pushedOffsets());
    }

    @Test
    void aGapOfMoreThanHalfTheHoldInterrupts() {
        Subscription subscription = new Subscription(session, NEWS, null, 10);
        subscription.activate(OutboundFrame.of(new ServerFrame.Subscribed(1, NEWS, "E", 0, null)), new StreamPosition("E", 0), List.of());
        assertEquals(Outcome.GAP, subscription.deliver(message(7), push(7)));
        assertEquals(Outcome.INTERRUPTED, subscription.repair(history("E", 7, 1, 2, 3, 4, 5, 6, 7)));
    }

    @Test
    void afterAReSubscriptionASubscriberBehindTheChannelIsRepaired() {
        Subscription subscription = activeAt(2);
        assertEquals(Outcome.OK, subscription.check(new StreamPosition("E", 2)), "not behind");
        assertEquals(Outcome.GAP, subscription.check(new StreamPosition("E", 4)));
        assertEquals(Outcome.OK, subscription.check(new StreamPosition("E", 4)), "one repair at a time");
        assertEquals(Outcome.OK, subscription.repair(history("E", 4, 3, 4)));
        assertEquals(List.of(3L, 4L), pushedOffsets());
        assertEquals(Outcome.INTERRUPTED, subscription.check(new StreamPosition("F", 0)));
    }

    @Test
    void aReSubscriptionDuringActivationIsCheckedOnceActive() {
        Subscription subscription = new Subscription(session, NEWS, null, 100);
        assertEquals(Outcome.OK, subscription.check(new StreamPosition("E", 9)));
        assertEquals(Outcome.GAP, subscription.activate(OutboundFrame.of(new ServerFrame.Subscribed(1, NEWS, "E", 7, null)),
                new StreamPosition("E", 7), List.of()));
        assertEquals(Outcome.OK, subscription.repair(history("E", 9, 8, 9)));
        assertEquals(List.of(8L, 9L), pushedOffsets());
    }
}
