package io.duplex.pusher;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.Map;

/** What a Pusher client sends, decoded once from its text frame; each kind is a record. */
public sealed interface ClientMessage {

    /** {@code pusher:subscribe}: {@code auth} for private and presence channels, {@code channelData} for presence. */
    record Subscribe(String channel, String auth, String channelData) implements ClientMessage {
    }

    /** {@code pusher:unsubscribe}. */
    record Unsubscribe(String channel) implements ClientMessage {
    }

    /** {@code pusher:ping}: answered {@code pusher:pong}. */
    record Ping() implements ClientMessage {
    }

    /** {@code pusher:pong}, the answer to the server's ping: it only shows the client is alive. */
    record Pong() implements ClientMessage {
    }

    /** {@code pusher:signin}: user authentication, signed by the customer's backend. */
    record Signin(String auth, String userData) implements ClientMessage {
    }

    /** A client event, {@code client-…}, for the channel's other subscribers; {@code data} as JSON text. */
    record ClientEvent(String event, String channel, String data) implements ClientMessage {
    }

    /** Decodes a frame, or throws the {@link PusherError} Pusher answers such a frame with. */
    static ClientMessage decode(String text) {
        JsonValue parsed;
        try (JsonReader reader = Readers.FACTORY.createReader(new StringReader(text))) {
            parsed = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new PusherError(null, "Invalid JSON: the message is not a JSON object");
        }
        if (!(parsed instanceof JsonObject message)) {
            throw new PusherError(null, "Invalid JSON: the message is not a JSON object");
        }
        if (!(message.get("event") instanceof JsonString name)) {
            throw new PusherError(null, "Invalid message: no event name");
        }
        String event = name.getString();
        JsonValue data = message.get("data");
        switch (event) {
            case "pusher:ping":
                return new Ping();
            case "pusher:pong":
                return new Pong();
            case "pusher:subscribe": {
                JsonObject fields = object(data);
                return new Subscribe(required(fields, "channel"), string(fields, "auth"), string(fields, "channel_data"));
            }
            case "pusher:unsubscribe":
                return new Unsubscribe(required(object(data), "channel"));
            case "pusher:signin": {
                JsonObject fields = object(data);
                return new Signin(required(fields, "auth"), required(fields, "user_data"));
            }
            default:
                if (event.startsWith("client-")) {
                    if (!(message.get("channel") instanceof JsonString channel)) {
                        throw new PusherError(null, "Invalid message: a client event needs its channel");
                    }
                    String json = data == null ? "{}" : data instanceof JsonString s ? s.getString() : data.toString();
                    return new ClientEvent(event, channel.getString(), json);
                }
                throw new PusherError(null, "Unsupported event received: " + shorten(event));
        }
    }

    /** Data as an object: pusher-js sends one; some clients send it as a JSON string. */
    private static JsonObject object(JsonValue data) {
        if (data instanceof JsonObject object) {
            return object;
        }
        if (data instanceof JsonString string) {
            try (JsonReader reader = Readers.FACTORY.createReader(new StringReader(string.getString()))) {
                if (reader.readValue() instanceof JsonObject object) {
                    return object;
                }
            } catch (JsonException | IllegalStateException e) {
                // answered below
            }
        }
        throw new PusherError(null, "Invalid message: data must be an object");
    }

    private static String required(JsonObject fields, String name) {
        String value = string(fields, name);
        if (value == null) {
            throw new PusherError(null, "Invalid message: " + name + " is required");
        }
        return value;
    }

    private static String string(JsonObject fields, String name) {
        return fields.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}

/** The JSON reader factory of client frames: made once (a provider lookup per frame costs), kept out of the interface's API. */
final class Readers {
    static final JsonReaderFactory FACTORY = Json.createReaderFactory(Map.of());

    private Readers() {
    }
}
