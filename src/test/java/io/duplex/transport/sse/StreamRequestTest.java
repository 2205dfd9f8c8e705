package io.duplex.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamRequestTest {
    private static final ChannelName A = ChannelName.of("a");
    private static final ChannelName B = ChannelName.of("b");

    @Test
    void lastEventIdWinsOverTheSinceOfTheUrlEventSourceReconnectsTo() {
        StreamRequest request = StreamRequest.ofChannel("a", "ep:9", "ep:3");
        assertEquals(Map.of(A, new StreamPosition("ep", 9)), request.since());
        assertTrue(request.single());
    }

    @Test
    void anEmptyLastEventIdFallsBackToSince() {
        assertEquals(Map.of(A, new StreamPosition("ep", 3)), StreamRequest.ofChannel("a", "", "ep:3").since());
        assertFalse(StreamRequest.ofChannel("a", null, null).resuming());
    }

    @Test
    void severalChannelsKeepTheirOrderAndMayResumeSome() {
        StreamRequest request = StreamRequest.ofChannels(new String[] {"b", "a"}, 10, "a=ep:2", null);
        assertEquals(List.of(B, A), request.channels());
        assertEquals(Map.of(A, new StreamPosition("ep", 2)), request.since());
        assertFalse(request.single());
    }

    @Test
    void refusalsBeforeTheStreamStarts() {
        assertEquals(ErrorCode.INVALID_CHANNEL, refusal(() -> StreamRequest.ofChannel("bad name", null, null)));
        assertEquals(ErrorCode.BAD_REQUEST, refusal(() -> StreamRequest.ofChannels(null, 10, null, null)));
        assertEquals(ErrorCode.BAD_REQUEST, refusal(() -> StreamRequest.ofChannels(new String[] {"a", "a"}, 10, null, null)));
        assertEquals(ErrorCode.LIMIT_EXCEEDED, refusal(() -> StreamRequest.ofChannels(new String[] {"a", "b"}, 1, null, null)));
        assertEquals(ErrorCode.BAD_REQUEST, refusal(() -> StreamRequest.ofChannel("a", null, "3")));
        assertEquals(ErrorCode.BAD_REQUEST, refusal(() -> StreamRequest.ofChannel("a", "b=ep:1", null)));
        assertEquals(ErrorCode.BAD_REQUEST, refusal(() -> StreamRequest.ofChannels(new String[] {"a", "b"}, 10, "ep:1", null)));
    }

    private static ErrorCode refusal(Runnable request) {
        return assertThrows(DuplexException.class, request::run).code();
    }
}
