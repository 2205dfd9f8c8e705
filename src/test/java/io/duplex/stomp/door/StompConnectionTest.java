package io.duplex.stomp.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.core.Connection;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import io.duplex.stomp.StompCommand;
import io.duplex.stomp.StompFrame;
import io.duplex.stomp.StompHeaders;
import io.duplex.stomp.StompVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StompConnectionTest {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    StompConnectionTest() {
        timer.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    /** A transport that records what it was asked to do, and completes every send at once. */
    private static final class Recording implements Connection {
        final List<String> events = new ArrayList<>();

        @Override
        public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
            frames.forEach(f -> events.add("send " + f.text()));
            done.accept(null);
        }

        @Override
        public void ping() {
            events.add("ping");
        }

        @Override
        public void close(DisconnectReason reason) {
            events.add("close " + reason.code());
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }
    }

    @Test
    void aServerCloseIsPrecededByAnErrorSayingWhy() {
        Recording transport = new Recording();
        new StompConnection(transport, timer).close(DisconnectReason.GOING_AWAY);
        assertEquals(List.of("send ERROR\nmessage:server shutting down\ncode:1001\n\n\0", "close 1001"), transport.events);
    }

    @Test
    void theDoorsOwnLastFrameGoesBeforeTheClose() {
        Recording transport = new Recording();
        StompConnection connection = new StompConnection(transport, timer);
        connection.farewell(connection.stompFraming().frame(StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", "7"))));
        connection.close(DisconnectReason.CLIENT_CLOSED);
        assertEquals(List.of("send RECEIPT\nreceipt-id:7\n\n\0", "close 1000"), transport.events);
    }

    /** A connection whose client sent DISCONNECT with {@code receipt:7}. */
    private StompConnection afterDisconnectWithReceipt7(Connection transport) {
        StompConnection connection = new StompConnection(transport, timer);
        connection.receiptThenClientCloses(connection.stompFraming().frame(StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", "7"))));
        return connection;
    }

    @Test
    void afterTheReceiptOfDisconnectTheCloseIsTheClientsAndTheNodeClosesOnlyIfItDoesNot() {
        Recording transport = new Recording();
        StompConnection connection = afterDisconnectWithReceipt7(transport);
        connection.close(DisconnectReason.CLIENT_CLOSED);
        assertEquals(List.of("send RECEIPT\nreceipt-id:7\n\n\0"), transport.events, "no close frame crossing the client's");

        assertEquals(1, timer.getQueue().size());
        RunnableScheduledFuture<?> closeIfTheClientDoesNot = (RunnableScheduledFuture<?>) timer.getQueue().peek();
        assertTrue(closeIfTheClientDoesNot.getDelay(TimeUnit.MILLISECONDS) > StompConnection.CLIENT_CLOSE_GRACE.toMillis() - 1000);
        closeIfTheClientDoesNot.run();
        assertEquals(List.of("send RECEIPT\nreceipt-id:7\n\n\0", "close 1000"), transport.events);
    }

    @Test
    void aClientThatClosesAfterTheReceiptLeavesNothingTimed() {
        Recording transport = new Recording();
        StompConnection connection = afterDisconnectWithReceipt7(transport);
        connection.close(DisconnectReason.CLIENT_CLOSED);
        connection.ended();
        assertTrue(timer.getQueue().isEmpty(), "the close is cancelled");
        assertEquals(List.of("send RECEIPT\nreceipt-id:7\n\n\0"), transport.events);
    }

    @Test
    void aServerCloseAfterDisconnectIsNotHeldBack() {
        Recording transport = new Recording();
        StompConnection connection = afterDisconnectWithReceipt7(transport);
        connection.close(DisconnectReason.GOING_AWAY);
        assertEquals(List.of("send RECEIPT\nreceipt-id:7\n\n\0", "close 1001"), transport.events);
    }

    /** Like Tomcat's and Tyrus's: a second write while one is outstanding is refused; completes when told. */
    private static final class OneWriteAtATime implements Connection {
        final List<String> events = new ArrayList<>();
        Consumer<Throwable> outstanding;

        @Override
        public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
            if (outstanding != null) {
                throw new IllegalStateException("The remote endpoint was in state [TEXT_FULL_WRITING]");
            }
            frames.forEach(f -> events.add("send " + f.text()));
            outstanding = done;
        }

        void complete() {
            Consumer<Throwable> done = outstanding;
            outstanding = null;
            done.accept(null);
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(DisconnectReason reason) {
            events.add("close " + reason.code());
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }
    }

    @Test
    void theLastFrameWaitsForTheWriteUnderWayInsteadOfBeingRefused() {
        OneWriteAtATime transport = new OneWriteAtATime();
        StompConnection connection = new StompConnection(transport, timer);
        List<Throwable> outcomes = new ArrayList<>();
        // The outbox is writing a SUBSCRIBE's RECEIPT when DISCONNECT is carried out.
        connection.send(List.of(connection.stompFraming().frame(StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", "1")))),
                outcomes::add);
        connection.farewell(connection.stompFraming().frame(StompFrame.of(StompCommand.RECEIPT, StompHeaders.of("receipt-id", "2"))));
        connection.close(DisconnectReason.CLIENT_CLOSED);
        assertEquals(List.of("send RECEIPT\nreceipt-id:1\n\n\0"), transport.events, "nothing more while a write is out");

        transport.complete();
        assertEquals(List.of("send RECEIPT\nreceipt-id:1\n\n\0", "send RECEIPT\nreceipt-id:2\n\n\0"), transport.events);
        transport.complete();
        assertEquals(List.of("send RECEIPT\nreceipt-id:1\n\n\0", "send RECEIPT\nreceipt-id:2\n\n\0", "close 1000"), transport.events);
        assertEquals(1, outcomes.size());
    }

    @Test
    void aClientTooSlowToReadOrGoneIsClosedWithoutAFrameToWaitFor() {
        for (DisconnectReason reason : List.of(DisconnectReason.TOO_SLOW, DisconnectReason.SEND_STALLED, DisconnectReason.CLIENT_CLOSED)) {
            Recording transport = new Recording();
            new StompConnection(transport, timer).close(reason);
            assertEquals(List.of("close " + reason.code()), transport.events, reason.name());
        }
    }

    @Test
    void pingsStayWebSocketPingsAndTheDoorIsStomp() {
        Recording transport = new Recording();
        StompConnection connection = new StompConnection(transport, timer);
        connection.ping();
        assertEquals(List.of("ping"), transport.events);
        assertEquals("stomp", connection.door().name());
    }

    @Test
    void aMessageNamesItsSubscriptionEscapedAsTheClientsVersionReadsIt() {
        ChannelMessage message = new ChannelMessage(ChannelName.of("public:news"), "E1", 42, Payload.stored("\"hi\""), Instant.EPOCH,
                Publisher.of(StompConnection.DOOR, null));
        String v12 = StompFraming.of(StompVersion.V1_2).message(message, "sub:1").text();
        assertEquals("MESSAGE\nsubscription:sub\\c1\nmessage-id:42\ndestination:/topic/public\\cnews\n"
                + "content-type:text/plain;charset=utf-8\nepoch:E1\ncontent-length:2\n\nhi\0", v12);
        String v10 = StompFraming.of(StompVersion.V1_0).message(message, "sub:1").text();
        assertTrue(v10.startsWith("MESSAGE\nsubscription:sub:1\nmessage-id:42\ndestination:/topic/public:news\n"), v10);
        assertEquals(false, StompFraming.of(StompVersion.V1_2).shared(), "written per subscriber");
    }
}
