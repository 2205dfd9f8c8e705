package io.duplex.protocol;

import io.duplex.broker.Publishing;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.error.ErrorCode;
import jakarta.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of every frame the server sends, as protocol v1 spells them. */
class ServerFrameTest {
    private static final ChannelName NEWS = ChannelName.of("news");

    @Test
    void repliesAreSpelledAsTheContractSays() {
        assertEquals("{\"id\":1,\"type\":\"connected\",\"session\":\"S\",\"version\":\"1\"}",
                new ServerFrame.Connected(1, "S", "1").toJson());
        assertEquals("{\"id\":2,\"type\":\"subscribed\",\"channel\":\"news\",\"epoch\":\"E\",\"offset\":41}",
                new ServerFrame.Subscribed(2, NEWS, "E", 41, null).toJson());
        assertEquals("{\"id\":3,\"type\":\"subscribed\",\"channel\":\"news\",\"epoch\":\"E\",\"offset\":41,\"recovered\":true}",
                new ServerFrame.Subscribed(3, NEWS, "E", 41, true).toJson());
        assertEquals("{\"id\":4,\"type\":\"unsubscribed\",\"channel\":\"news\"}", new ServerFrame.Unsubscribed(4, NEWS).toJson());
        assertEquals("{\"id\":5,\"type\":\"published\",\"channel\":\"news\",\"epoch\":\"E\",\"offset\":42}",
                new ServerFrame.Published(5, NEWS, "E", 42, false).toJson());
        assertEquals("{\"id\":6,\"type\":\"presence\",\"channel\":\"news\",\"sessions\":[{\"session\":\"S\",\"user\":\"u\"},{\"session\":\"T\",\"user\":null}]}",
                new ServerFrame.PresenceList(6, NEWS, List.of(new PresenceEntry("S", "u"), new PresenceEntry("T", null))).toJson());
        assertEquals("{\"id\":7,\"type\":\"pong\"}", new ServerFrame.Pong(7).toJson());
        assertEquals("{\"id\":null,\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"m\"}",
                new ServerFrame.ErrorReply(null, ErrorCode.BAD_REQUEST, "m").toJson());
    }

    @Test
    void tokenFramesCarryTheExpiryAsAnIsoInstant() {
        Instant exp = Instant.parse("2026-11-26T20:00:00Z");
        assertEquals("{\"id\":1,\"type\":\"connected\",\"session\":\"S\",\"version\":\"1\",\"expiresAt\":\"2026-11-26T20:00:00Z\"}",
                new ServerFrame.Connected(1, "S", "1", exp).toJson());
        assertEquals("{\"id\":8,\"type\":\"refreshed\",\"expiresAt\":\"2026-11-26T20:00:00Z\"}", new ServerFrame.Refreshed(8, exp).toJson());
        assertEquals("{\"type\":\"refresh\",\"expiresAt\":\"2026-11-26T20:00:00Z\"}", new ServerFrame.RefreshHint(exp).toJson());
    }

    @Test
    void pushesCarryNoIdAndEmbedTheDataAsIs() {
        Payload data = Payload.of(Json.createObjectBuilder().add("k", "v").build());
        assertEquals("{\"type\":\"message\",\"channel\":\"news\",\"offset\":42,\"data\":{\"k\":\"v\"}}",
                new ServerFrame.MessagePush(new ChannelMessage(NEWS, "E", 42, data, Instant.EPOCH, Publishing.TEST)).toJson());
        assertEquals("{\"type\":\"direct\",\"data\":{\"k\":\"v\"}}", new ServerFrame.DirectPush(data).toJson());
    }

    @Test
    void textIsEscapedAsJsonRequires() {
        String message = "quote \" backslash \\ newline \n tab \t bell \u0007 é";
        String json = new ServerFrame.ErrorReply(1L, ErrorCode.BAD_REQUEST, message).toJson();
        assertEquals(message, Json.createReader(new java.io.StringReader(json)).readObject().getString("message"));
    }
}
