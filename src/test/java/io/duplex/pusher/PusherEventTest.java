package io.duplex.pusher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.duplex.channel.Payload;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

/** What a Pusher event is as Duplex data, what Duplex data is to a Pusher client, and how client frames decode. */
class PusherEventTest {

    @Test
    void aPusherEventKeepsItsDataStringThroughDuplex() {
        PusherEvent event = new PusherEvent("order-placed", "{\"id\":7}", null, "12.34");
        Payload payload = event.toDuplex();
        assertEquals("{\"event\":\"order-placed\",\"data\":\"{\\\"id\\\":7}\",\"socket_id\":\"12.34\"}", payload.json());
        assertEquals(event, PusherEvent.fromDuplex(payload));
        assertEquals("{\"event\":\"order-placed\",\"channel\":\"orders\",\"data\":\"{\\\"id\\\":7}\"}", event.frame("orders"));
    }

    @Test
    void duplexDataShapedLikeAnEventHasItsDataSentAsJsonText() {
        PusherEvent event = PusherEvent.fromDuplex(Payload.of(Json.createObjectBuilder().add("event", "e")
                .add("data", Json.createObjectBuilder().add("n", 1)).build()));
        assertEquals(new PusherEvent("e", "{\"n\":1}", null, null), event);
    }

    @Test
    void otherDuplexDataIsTheDuplexMessageEvent() {
        PusherEvent event = PusherEvent.fromDuplex(Payload.of(Json.createObjectBuilder().add("text", "hi").build()));
        assertEquals(PusherEvent.DUPLEX_EVENT, event.event());
        assertEquals("{\"text\":\"hi\"}", event.data());
        assertNull(event.socketId());
    }

    @Test
    void clientFramesDecodeToTheirRecords() {
        assertEquals(new ClientMessage.Subscribe("private-a", "k:sig", null), ClientMessage.decode(
                "{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"private-a\",\"auth\":\"k:sig\"}}"));
        assertEquals(new ClientMessage.ClientEvent("client-typing", "private-a", "{\"who\":1}"), ClientMessage.decode(
                "{\"event\":\"client-typing\",\"channel\":\"private-a\",\"data\":{\"who\":1}}"));
        assertInstanceOf(ClientMessage.Ping.class, ClientMessage.decode("{\"event\":\"pusher:ping\",\"data\":{}}"));
    }

    @Test
    void badFramesAreAnsweredWithoutACode() {
        assertNull(assertThrows(PusherError.class, () -> ClientMessage.decode("{not json")).code());
        assertThrows(PusherError.class, () -> ClientMessage.decode("[1]"));
        assertThrows(PusherError.class, () -> ClientMessage.decode("{\"event\":\"pusher:unknown\"}"));
        assertThrows(PusherError.class, () -> ClientMessage.decode("{\"event\":\"pusher:subscribe\",\"data\":{}}"));
        assertThrows(PusherError.class, () -> ClientMessage.decode("{\"event\":\"client-x\",\"data\":{}}"));
    }
}
