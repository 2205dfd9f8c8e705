package io.duplex.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import io.duplex.config.ConfigLoader;
import io.duplex.config.ConfigSource;
import io.duplex.config.Setting;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelAccessTest {
    private final ChannelAccess access = new ChannelAccess(ConfigLoader.load(ConfigSource.flags(Map.of(Setting.CHANNELS_PUBLIC, "public:,lobby."))));
    private final Identity alice = Identity.ofToken("alice", Instant.MAX, List.of("news", "room.*"), List.of("room.1"), false);

    private static ChannelName c(String name) {
        return ChannelName.of(name);
    }

    @Test
    void claimsAreExactNamesOrPrefixes() {
        assertTrue(access.mayRead(alice, c("news")));
        assertFalse(access.mayRead(alice, c("news2")));
        assertTrue(access.mayRead(alice, c("room.7")));
        assertTrue(access.mayPublish(alice, c("room.1")));
        assertFalse(access.mayPublish(alice, c("room.7")));
        assertTrue(ChannelAccess.matchesAny(List.of("*"), "anything"));
    }

    @Test
    void publicNamespacesAreReadableByAnyoneConnectedButNotWritable() {
        assertTrue(access.mayRead(alice, c("public:chat")));
        assertTrue(access.mayRead(alice, c("lobby.main")));
        assertFalse(access.mayPublish(alice, c("public:chat")));
    }

    @Test
    void aUserChannelIsReadableByItsUserOnly() {
        assertTrue(access.mayRead(alice, c("user#alice")));
        assertTrue(access.mayRead(alice, c("orders:inbox#alice")));
        assertFalse(access.mayRead(alice, c("user#bob")));
        assertFalse(access.mayRead(alice, c("user#alice2")));
        assertFalse(access.mayRead(Identity.NOBODY, c("user#")), "no user, no user channel");
    }

    @Test
    void adminsMayDoEverythingAndDenialsSayWhichChannel() {
        assertTrue(access.mayPublish(Identity.API_KEY, c("user#bob")));
        DuplexException e = assertThrows(DuplexException.class, () -> access.checkPublish(alice, c("news")));
        assertEquals(ErrorCode.PERMISSION_DENIED, e.code());
        assertEquals("not allowed to publish to channel 'news'", e.getMessage());
    }
}
