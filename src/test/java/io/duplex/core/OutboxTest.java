package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxTest {
    private int overflows;
    private Throwable failure;

    private Outbox outbox(FakeConnection connection, int maxMessages, long maxBytes) {
        return new Outbox(connection, maxMessages, maxBytes, new Outbox.Listener() {
            @Override
            public void overflowed() {
                overflows++;
            }

            @Override
            public void failed(Throwable cause) {
                failure = cause;
            }
        }, Runnable::run);
    }

    private static OutboundFrame frame(String text) {
        return new OutboundFrame(text, text.length());
    }

    @Test
    void sendsInOrderWithOneSendOutstandingAtATime() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 100, 1_000_000);
        IntStream.range(0, 5).forEach(i -> outbox.offer(frame("m" + i)));
        assertEquals(List.of("m0"), connection.sent);
        assertEquals(4, outbox.queued());
        while (connection.hasPending()) {
            connection.complete(null);
        }
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), connection.sent);
        assertEquals(1, connection.mostOutstanding);
        assertTrue(outbox.idle());
    }

    @Test
    void framesQueuedDuringAWriteLeaveTogetherInTheNext() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 1000, 1_000_000);
        IntStream.range(0, 5).forEach(i -> outbox.offer(frame("m" + i)));
        connection.complete(null);
        assertEquals(List.of(1, 4), connection.writes, "m0 alone, then m1-m4 in one write");
        IntStream.range(5, 5 + Outbox.MAX_BATCH + 1).forEach(i -> outbox.offer(frame("m" + i)));
        while (connection.hasPending()) {
            connection.complete(null);
        }
        assertEquals(List.of(1, 4, Outbox.MAX_BATCH, 1), connection.writes, "a write carries at most MAX_BATCH frames");
        assertEquals(IntStream.range(0, 5 + Outbox.MAX_BATCH + 1).mapToObj(i -> "m" + i).toList(), connection.sent);
    }

    @Test
    void aReplyIsWrittenOnTheCallingThreadWhenNothingWaitsBeforeIt() {
        FakeConnection connection = new FakeConnection(false);
        java.util.ArrayDeque<Runnable> flusher = new java.util.ArrayDeque<>();
        Outbox outbox = new Outbox(connection, 100, 1_000_000, new Outbox.Listener() {
            @Override
            public void overflowed() {
                overflows++;
            }

            @Override
            public void failed(Throwable cause) {
                failure = cause;
            }
        }, flusher::add);
        outbox.offer(frame("reply"), true);
        assertEquals(List.of("reply"), connection.sent, "in the container's hands before the caller goes on (to a close)");
        assertTrue(flusher.isEmpty());
        outbox.offer(frame("push"), false);
        outbox.offer(frame("second reply"), true);
        assertEquals(List.of("reply"), connection.sent, "behind a write under way, a reply waits its turn");
        connection.complete(null);
        assertEquals(List.of("reply", "push", "second reply"), connection.sent);
    }

    @Test
    void nothingIsWrittenOnTheOfferingThreadWhenTheFlusherIsElsewhere() {
        FakeConnection connection = new FakeConnection(true);
        java.util.ArrayDeque<Runnable> flusher = new java.util.ArrayDeque<>();
        Outbox outbox = new Outbox(connection, 100, 1_000_000, new Outbox.Listener() {
            @Override
            public void overflowed() {
                overflows++;
            }

            @Override
            public void failed(Throwable cause) {
                failure = cause;
            }
        }, flusher::add);
        IntStream.range(0, 3).forEach(i -> outbox.offer(frame("m" + i)));
        assertEquals(List.of(), connection.sent);
        assertEquals(1, flusher.size(), "one drain is scheduled for all three");
        flusher.poll().run();
        assertEquals(List.of(3), connection.writes);
        assertTrue(outbox.idle());
    }

    @Test
    void aContainerThatCompletesInsideSendDoesNotRecurse() {
        FakeConnection connection = new FakeConnection(true);
        Outbox outbox = outbox(connection, 1_000_000, Long.MAX_VALUE);
        // Queue while a send is "outstanding" is impossible with at-once completion, so offer many in a row:
        IntStream.range(0, 200_000).forEach(i -> outbox.offer(frame("m")));
        assertEquals(200_000, connection.sent.size());
        assertTrue(outbox.idle());
    }

    @Test
    void overflowingTheCountReportsOnceAndStopsSending() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 3, 1_000_000);
        assertTrue(outbox.offer(frame("a")));
        assertTrue(outbox.offer(frame("b")));
        assertTrue(outbox.offer(frame("c")));
        assertTrue(outbox.offer(frame("d")));
        assertFalse(outbox.offer(frame("e")), "a is being sent, b c d are queued: e is one too many");
        assertFalse(outbox.offer(frame("f")));
        assertEquals(1, overflows);
        connection.complete(null);
        assertEquals(List.of("a"), connection.sent, "nothing more is sent after an overflow");
        assertEquals(4, outbox.discarded(), "for the metrics: b c d were dropped, and e did not fit; a was sent");
    }

    @Test
    void theMetricsSeeWhatWaitsAndWhatAClosedOutboxDropped() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 100, 1000);
        outbox.offer(frame("12345"));
        outbox.offer(frame("123"));
        outbox.offer(frame("1"));
        assertEquals(2, outbox.queued(), "the first is being written, out of the queue");
        assertEquals(4, outbox.queuedBytes());
        connection.complete(null);
        assertEquals(0, outbox.queued(), "written together");
        outbox.offer(frame("12"));
        outbox.close();
        outbox.close();
        assertEquals(1, outbox.discarded(), "the frame waiting behind the write, once however often the outbox closes");
        assertEquals(0, outbox.queuedBytes());
    }

    @Test
    void overflowingTheBytesReportsToo() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 1000, 10);
        assertTrue(outbox.offer(frame("123456")));
        assertTrue(outbox.offer(frame("123456")));
        assertTrue(outbox.offer(frame("1234")));
        assertFalse(outbox.offer(frame("1")));
        assertEquals(1, overflows);
    }

    @Test
    void aFailedSendReportsTheFailureAndClosesTheOutbox() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 100, 1000);
        outbox.offer(frame("a"));
        outbox.offer(frame("b"));
        connection.complete(new IOException("broken pipe"));
        assertEquals("broken pipe", failure.getMessage());
        assertFalse(outbox.offer(frame("c")));
        assertEquals(List.of("a"), connection.sent);
    }

    @Test
    void theOutstandingSendIsTimed() {
        FakeConnection connection = new FakeConnection(false);
        Outbox outbox = outbox(connection, 100, 1000);
        assertEquals(0, outbox.sendingForNanos(System.nanoTime()));
        outbox.offer(frame("a"));
        assertTrue(outbox.sendingForNanos(System.nanoTime() + 1_000_000) >= 1_000_000);
        connection.complete(null);
        assertEquals(0, outbox.sendingForNanos(System.nanoTime()));
    }
}
