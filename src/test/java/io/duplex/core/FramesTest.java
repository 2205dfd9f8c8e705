package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.duplex.broker.Publishing;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DisconnectReason;
import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A fan-out encodes a message once per door, and per subscription only where the door's frame names it. */
class FramesTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final ChannelMessage MESSAGE =
            new ChannelMessage(NEWS, "E", 1, Payload.of(Json.createValue(1)), Instant.EPOCH, Publishing.TEST);

    /** A door's framing that counts what it encoded. */
    private static class Counting implements Framing {
        final AtomicInteger encoded = new AtomicInteger();
        final boolean shared;

        Counting(boolean shared) {
            this.shared = shared;
        }

        @Override
        public OutboundFrame message(ChannelMessage message, String tag) {
            encoded.incrementAndGet();
            String text = "m" + message.offset() + (tag == null ? "" : "@" + tag);
            return new OutboundFrame(text, text.length());
        }

        @Override
        public boolean shared() {
            return shared;
        }

        @Override
        public OutboundFrame subscribed(long id, ChannelName channel, StreamPosition position, Boolean recovered, String tag) {
            return null;
        }

        @Override
        public OutboundFrame direct(Payload data) {
            return null;
        }
    }

    private static Subscription subscriber(Framing framing, String tag) {
        Connection connection = new Connection() {
            @Override
            public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
                done.accept(null);
            }

            @Override
            public void ping() {
            }

            @Override
            public void close(DisconnectReason reason) {
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1:1";
            }

            @Override
            public Framing framing() {
                return framing;
            }
        };
        ClientSession session = new ClientSession("s", connection, Instant.EPOCH, 10, 10_000, 10, (s, r) -> { }, Runnable::run);
        return new Subscription(session, NEWS, tag, 10);
    }

    @Test
    void eachSharedFramingEncodesTheMessageOnceWhateverTheNumberOfSubscribers() {
        Counting sse = new Counting(true);
        Counting pusher = new Counting(true);
        Frames frames = new Frames(MESSAGE);
        OutboundFrame v1 = frames.of(subscriber(Framing.V1, null));
        for (int i = 0; i < 5; i++) {
            assertSame(v1, frames.of(subscriber(Framing.V1, null)));
        }
        OutboundFrame first = frames.of(subscriber(sse, null));
        OutboundFrame second = frames.of(subscriber(pusher, null));
        for (int i = 0; i < 5; i++) {
            assertSame(first, frames.of(subscriber(sse, null)));
            assertSame(second, frames.of(subscriber(pusher, null)));
            assertSame(v1, frames.of(subscriber(Framing.V1, null)));
        }
        assertEquals(1, sse.encoded.get());
        assertEquals(1, pusher.encoded.get());
        assertEquals("{\"type\":\"message\",\"channel\":\"news\",\"offset\":1,\"data\":1}", v1.text());
    }

    @Test
    void aFramingThatNamesTheSubscriptionEncodesForEachWithItsTag() {
        Counting stomp = new Counting(false);
        Frames frames = new Frames(MESSAGE);
        OutboundFrame a = frames.of(subscriber(stomp, "sub-a"));
        OutboundFrame b = frames.of(subscriber(stomp, "sub-b"));
        assertNotSame(a, b);
        assertEquals("m1@sub-a", a.text());
        assertEquals("m1@sub-b", b.text());
        assertEquals(2, stomp.encoded.get());
    }

    @Test
    void manyFramingsInOneFanOutEachKeepTheirOwnFrame() {
        Frames frames = new Frames(MESSAGE);
        List<Counting> doors = List.of(new Counting(true), new Counting(true), new Counting(true), new Counting(true),
                new Counting(true), new Counting(true), new Counting(true));
        List<OutboundFrame> firsts = doors.stream().map(d -> frames.of(subscriber(d, null))).toList();
        for (int i = 0; i < doors.size(); i++) {
            assertSame(firsts.get(i), frames.of(subscriber(doors.get(i), null)));
            assertEquals(1, doors.get(i).encoded.get());
        }
    }

    @Test
    void theSubscriptionAFramingExcludesGetsNothingAndTheOthersShareTheFrame() {
        Counting pusher = new Counting(true) {
            @Override
            public String excluded(ChannelMessage message) {
                return "12.34";
            }
        };
        Frames frames = new Frames(MESSAGE);
        OutboundFrame shared = frames.of(subscriber(pusher, "56.78"));
        assertEquals(null, frames.of(subscriber(pusher, "12.34")));
        assertSame(shared, frames.of(subscriber(pusher, "90.12")));
        assertEquals(1, pusher.encoded.get());
    }

    @Test
    void anExcludedMessageCountsAsSentSoTheNextOneIsNoGap() {
        Counting pusher = new Counting(true) {
            @Override
            public String excluded(ChannelMessage message) {
                return message.offset() == 1 ? "me" : null;
            }
        };
        Subscription mine = subscriber(pusher, "me");
        mine.activate(null, new StreamPosition("E", 0), List.of());
        ChannelMessage second = new ChannelMessage(NEWS, "E", 2, Payload.of(Json.createValue(2)), Instant.EPOCH, Publishing.TEST);
        assertEquals(Subscription.Outcome.OK, mine.deliver(MESSAGE, new Frames(MESSAGE).of(mine)));
        assertEquals(Subscription.Outcome.OK, mine.deliver(second, new Frames(second).of(mine)));
        assertEquals(2, mine.offset());
    }
}
