package io.duplex.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a Pusher channel of an app is named in Duplex, and back. */
class PusherChannelTest {

    @Test
    void aChannelIsPrefixedWithItsAppAndKeepsItsName() {
        PusherChannel channel = PusherChannel.of("1001", "private-orders.7").orElseThrow();
        assertEquals(ChannelName.of("pusher:1001:private-orders.7"), channel.duplex());
        assertEquals(PusherChannel.Kind.PRIVATE, channel.kind());
        assertEquals(Optional.of(channel), PusherChannel.fromDuplex("1001", channel.duplex()));
    }

    @Test
    void charactersDuplexHasNotAreEscapedAndComeBack() {
        PusherChannel channel = PusherChannel.of("1001", "presence-a=1,b;c@d").orElseThrow();
        assertEquals("pusher:1001:presence-a@3D1@2Cb@3Bc@40d", channel.duplex().value());
        assertEquals(PusherChannel.Kind.PRESENCE, channel.kind());
        assertEquals(Optional.of(channel), PusherChannel.fromDuplex("1001", channel.duplex()));
    }

    @Test
    void anotherAppsOrNonPusherChannelIsNotThisAppsChannel() {
        assertTrue(PusherChannel.fromDuplex("1002", ChannelName.of("pusher:1001:news")).isEmpty());
        assertTrue(PusherChannel.fromDuplex("1001", ChannelName.of("news")).isEmpty());
        assertTrue(PusherChannel.fromDuplex("1001", ChannelName.of("pusher:1001:bad@zz")).isEmpty());
    }

    @Test
    void invalidOrTooLongNamesAreRefused() {
        assertTrue(PusherChannel.of("1", "").isEmpty());
        assertTrue(PusherChannel.of("1", "has space").isEmpty());
        assertTrue(PusherChannel.of("1", "x".repeat(165)).isEmpty());
        assertTrue(PusherChannel.of("1", "=".repeat(90)).isEmpty(), "270 characters once escaped");
        assertEquals(PusherChannel.Kind.PUBLIC, PusherChannel.of("1", "x".repeat(164)).orElseThrow().kind());
    }

    @Test
    void aSignedInUsersOwnChannelIsItsOwnKind() {
        PusherChannel channel = PusherChannel.of("1001", "#server-to-user-carol").orElseThrow();
        assertEquals(PusherChannel.Kind.USER, channel.kind());
        assertEquals("pusher:1001:#server-to-user-carol", channel.duplex().value());
        assertTrue(PusherChannel.of("1001", "#other").isEmpty());
        assertTrue(PusherChannel.of("1001", "#server-to-user-").isEmpty());
    }
}
