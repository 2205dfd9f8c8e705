package io.duplex.pusher;

import io.duplex.channel.Payload;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A Pusher event on a channel, and what it is as a Duplex message's data: {@code {"event":E,"data":D}}, D being
 * Pusher's data string exactly as it was sent (Pusher's clients and SDKs send JSON as a string; it stays one, so it
 * reaches pusher-js byte for byte), with {@code "user_id"} for a client event on a presence channel and
 * {@code "socket_id"} for the socket that must not receive it (the sender of a client event, an HTTP API trigger's
 * {@code socket_id}). Data published by Duplex's own doors is read the same way when it has that shape (a non-string
 * {@code data} is sent to Pusher clients as its JSON text); any other data reaches them as the event
 * {@value #DUPLEX_EVENT} with the data's JSON text.
 *
 * @param event    the event's name
 * @param data     Pusher's data string
 * @param userId   the sender's user id (presence client events), or null
 * @param socketId the socket that must not receive it, or null
 */
public record PusherEvent(String event, String data, String userId, String socketId) {
    /** The event a Pusher client sees for a Duplex message whose data is not a Pusher event. */
    public static final String DUPLEX_EVENT = "duplex:message";

    /** The Duplex message data of this event. */
    public Payload toDuplex() {
        JsonObjectBuilder object = Json.createObjectBuilder().add("event", event).add("data", data);
        if (userId != null) {
            object.add("user_id", userId);
        }
        if (socketId != null) {
            object.add("socket_id", socketId);
        }
        return Payload.of(object.build());
    }

    /** The Pusher event a Duplex message's data is. */
    public static PusherEvent fromDuplex(Payload payload) {
        JsonValue value = payload.value();
        if (value instanceof JsonObject object && object.get("event") instanceof JsonString event && !event.getString().isEmpty()) {
            JsonValue data = object.get("data");
            String text = data == null ? "{}" : data instanceof JsonString s ? s.getString() : data.toString();
            return new PusherEvent(event.getString(), text, string(object, "user_id"), string(object, "socket_id"));
        }
        return new PusherEvent(DUPLEX_EVENT, payload.json(), null, null);
    }

    /** The frame a Pusher client receives for this event on {@code channel}. */
    public String frame(String channel) {
        JsonObjectBuilder object = Json.createObjectBuilder().add("event", event).add("channel", channel).add("data", data);
        if (userId != null) {
            object.add("user_id", userId);
        }
        return object.build().toString();
    }

    private static String string(JsonObject object, String name) {
        return object.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
