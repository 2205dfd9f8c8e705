package io.duplex.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SseFramingTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final ChannelMessage MESSAGE = new ChannelMessage(NEWS, "ep", 3, Payload.stored("{\"text\":\"é\\nline\"}"),
            Instant.parse("2026-12-07T12:00:00.123Z"), Publisher.of(Door.REST, null));

    @Test
    void aMessageIsOneEventWithItsPlaceAsIdAndTheMessageAsOneLineOfJson() {
        String text = SseFraming.SINGLE.message(MESSAGE, null).text();
        assertEquals("id: ep:3\nevent: message\ndata: {\"channel\":\"news\",\"offset\":3,\"data\":{\"text\":\"é\\nline\"},"
                + "\"time\":\"2026-12-07T12:00:00.123Z\"}\n\n", text);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, SseFraming.SINGLE.message(MESSAGE, null).bytes());
        assertEquals("id: news=ep:3\n", SseFraming.SEVERAL.message(MESSAGE, null).text().substring(0, 14));
    }

    @Test
    void theStartOfAStreamSaysWhereItStartsUnlessItRecovers() {
        StreamPosition at = new StreamPosition("ep", 7);
        assertEquals("id: ep:7\nevent: subscribed\ndata: {\"channel\":\"news\",\"epoch\":\"ep\",\"offset\":7}\n\n",
                SseFraming.SINGLE.subscribed(0, NEWS, at, null, null).text());
        assertEquals("event: subscribed\ndata: {\"channel\":\"news\",\"epoch\":\"ep\",\"offset\":7,\"recovered\":true}\n\n",
                SseFraming.SINGLE.subscribed(0, NEWS, at, true, null).text());
        String reset = SseFraming.SEVERAL.subscribed(0, NEWS, at, false, null).text();
        assertEquals("id: news=ep:7\nevent: reset\n", reset.substring(0, reset.indexOf("data: ")));
    }

    @Test
    void directRefreshAndCloseAreNamedEvents() {
        assertEquals("event: direct\ndata: [1,2]\n\n", SseFraming.SINGLE.direct(Payload.stored("[1,2]")).text());
        assertEquals("event: refresh\ndata: {\"expiresAt\":\"2026-12-07T12:00:00Z\"}\n\n",
                SseFraming.SINGLE.refreshHint(Instant.parse("2026-12-07T12:00:00Z")).text());
        assertEquals("event: close\ndata: {\"code\":4001,\"reason\":\"disconnected by the API\"}\n\n",
                SseFrames.close(DisconnectReason.DISCONNECTED));
    }

    @Test
    void streamsOfOneKindShareOneFraming() {
        assertSame(SseFraming.SINGLE, SseFraming.of(StreamRequest.ofChannel("a", null, null)));
        assertSame(SseFraming.SEVERAL, SseFraming.of(StreamRequest.ofChannels(new String[] {"a"}, 5, null, null)));
    }
}
