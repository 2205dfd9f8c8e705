package io.duplex.transport.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private static final ChannelName ROOM = ChannelName.of("chat:room#42");

    @Test
    void aStreamOfOneChannelReadsBackItsOwnId() {
        String id = EventId.of(new StreamPosition("k3x9q2mfa7tz", 42));
        assertEquals("k3x9q2mfa7tz:42", id);
        assertEquals(Map.of(NEWS, new StreamPosition("k3x9q2mfa7tz", 42)), EventId.parse(id, NEWS, "Last-Event-ID"));
    }

    @Test
    void aStreamOfSeveralChannelsReadsBackEveryPlaceEvenWithColonsAndHashesInNames() {
        Map<ChannelName, StreamPosition> places = new LinkedHashMap<>();
        places.put(NEWS, new StreamPosition("k3x9q2mfa7tz", 42));
        places.put(ROOM, new StreamPosition("p8c2x4dw9hne", 0));
        String id = EventId.of(places);
        assertEquals("news=k3x9q2mfa7tz:42,chat:room#42=p8c2x4dw9hne:0", id);
        assertEquals(places, EventId.parse(id, null, "Last-Event-ID"));
    }

    @Test
    void aBareIdIsRefusedForAStreamOfSeveralChannels() {
        DuplexException e = assertThrows(DuplexException.class, () -> EventId.parse("k3x9q2mfa7tz:42", null, "since"));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().startsWith("since must name each channel"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", ":42", "epoch:", "epoch:-1", "epoch:+1", "epoch:4x", "ep och:1", "news=", "news=e:1,", "=e:1",
        "news=e:1,news=e:2", "bad/name=e:1", "e:99999999999999999999"})
    void aMalformedIdIsABadRequestThatSaysWhichInputWasWrong(String id) {
        DuplexException e = assertThrows(DuplexException.class, () -> EventId.parse(id, NEWS, "Last-Event-ID"));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertTrue(e.getMessage().startsWith("Last-Event-ID"), e.getMessage());
    }

    @Test
    void controlCharactersAreNotEchoed() {
        DuplexException e = assertThrows(DuplexException.class, () -> EventId.parse("a\u0007b", NEWS, "since"));
        assertTrue(e.getMessage().contains("'a?b'"), e.getMessage());
    }
}
