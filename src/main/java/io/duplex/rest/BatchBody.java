package io.duplex.rest;

import io.duplex.broker.PublishRequest;
import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a batch publish, {@code {"messages":[{"channel","data","idempotencyKey"}, …]}}, whole, before anything is
 * published: the first mistake refuses the batch with an error naming the message ({@code messages[3].channel: …}).
 */
final class BatchBody {
    private BatchBody() {
    }

    static List<PublishRequest> requests(JsonObject body, Publisher publisher, int maxMessages, int maxDataBytes) {
        JsonValue messages = body.get("messages");
        if (!(messages instanceof JsonArray array)) {
            throw bad(messages == null ? "'messages' is required: an array of {\"channel\", \"data\"}" : "'messages' must be an array");
        }
        if (array.isEmpty()) {
            throw bad("'messages' is empty; a batch needs at least one message");
        }
        if (array.size() > maxMessages) {
            throw new DuplexException(ErrorCode.TOO_LARGE, "the batch has " + array.size() + " messages; the most is "
                    + maxMessages + " (batch.max.messages)");
        }
        List<PublishRequest> requests = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            requests.add(request(array.get(i), "messages[" + i + "]", publisher, maxDataBytes));
        }
        return requests;
    }

    private static PublishRequest request(JsonValue item, String at, Publisher publisher, int maxDataBytes) {
        if (!(item instanceof JsonObject message)) {
            throw bad(at + " must be an object {\"channel\", \"data\"}");
        }
        ChannelName channel;
        try {
            channel = ChannelName.of(string(message, "channel", at, true));
        } catch (DuplexException e) {
            throw new DuplexException(e.code(), at + ".channel: " + e.getMessage());
        }
        JsonValue data = message.get("data");
        if (data == null || data == JsonValue.NULL) {
            throw bad(at + ".data is required (any JSON value but null)");
        }
        Payload payload = Payload.of(data);
        if (payload.bytes() > maxDataBytes) {
            throw new DuplexException(ErrorCode.TOO_LARGE, at + ".data is " + payload.bytes()
                    + " bytes as JSON; the most is " + maxDataBytes + " (message.max.bytes)");
        }
        String key = string(message, "idempotencyKey", at, false);
        try {
            return PublishRequest.of(channel, payload, publisher).withIdempotencyKey(key == null ? null : IdempotencyKey.of(key));
        } catch (DuplexException e) {
            throw bad(at + ".idempotencyKey: " + e.getMessage());
        }
    }

    private static String string(JsonObject object, String name, String at, boolean required) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            if (required) {
                throw bad(at + "." + name + " is required");
            }
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw bad(at + "." + name + " must be a string");
        }
        return text.getString();
    }

    private static DuplexException bad(String message) {
        return new DuplexException(ErrorCode.BAD_REQUEST, message);
    }
}
