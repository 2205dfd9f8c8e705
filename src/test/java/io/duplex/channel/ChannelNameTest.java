package io.duplex.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"news", "a", "user#42", "chat:room-1", "Team_A.events", "x@y"})
    void acceptsTheAllowedAlphabet(String name) {
        assertEquals(name, ChannelName.of(name).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "slash/es", "quote\"", "tab\t", "émoji", "new\nline"})
    void refusesAnythingElseWithInvalidChannel(String name) {
        DuplexException e = assertThrows(DuplexException.class, () -> ChannelName.of(name));
        assertEquals(ErrorCode.INVALID_CHANNEL, e.code());
    }

    @Test
    void lengthIsOneTo255() {
        assertEquals(255, ChannelName.of("x".repeat(255)).value().length());
        DuplexException e = assertThrows(DuplexException.class, () -> ChannelName.of("x".repeat(256)));
        assertTrue(e.getMessage().contains("256 characters"));
    }

    @Test
    void errorsShowTheNameWithoutControlCharacters() {
        DuplexException e = assertThrows(DuplexException.class, () -> ChannelName.of("a\u0007b"));
        assertTrue(e.getMessage().contains("'a?b'"), e.getMessage());
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
    }
}
