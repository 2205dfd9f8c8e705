package io.duplex.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import org.junit.jupiter.api.Test;

class SseIdsTest {
    private static final ChannelName A = ChannelName.of("a");
    private static final ChannelName B = ChannelName.of("b:1");

    @Test
    void aStreamOfOneChannelSendsTheSharedTextAsItIs() {
        SseIds ids = SseIds.of(StreamRequest.ofChannel("a", null, null));
        String frame = "id: " + SseFraming.of(StreamRequest.ofChannel("a", null, null)).frameId(A, new StreamPosition("ep", 3)) + "\nevent: message\ndata: {}\n\n";
        assertEquals("id: ep:3\nevent: message\ndata: {}\n\n", ids.rewrite(frame));
    }

    @Test
    void aStreamOfSeveralChannelsSendsEveryPlaceItHasReachedInTheOrderAsked() {
        SseIds ids = SseIds.of(StreamRequest.ofChannels(new String[] {"b:1", "a"}, 10, "a=ep:1", null));
        String b = "id: " + SseFraming.SEVERAL.frameId(B, new StreamPosition("xy", 7)) + "\nevent: message\ndata: {}\n\n";
        assertEquals("id: b:1=xy:7,a=ep:1\nevent: message\ndata: {}\n\n", ids.rewrite(b));
        String a = "id: " + SseFraming.SEVERAL.frameId(A, new StreamPosition("ep", 2)) + "\nevent: message\ndata: {}\n\n";
        assertEquals("id: b:1=xy:7,a=ep:2\nevent: message\ndata: {}\n\n", ids.rewrite(a));
        assertEquals(": ping\n\n", ids.rewrite(": ping\n\n"));
    }
}
