package io.duplex.protocol;

import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.channel.Payload;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Typed access to the fields of one command object; every wrong field becomes a clear {@link FrameException}. */
final class Fields {
    private final JsonObject object;
    private final Long id;
    private final String prefix;

    Fields(JsonObject object, Long id) {
        this(object, id, "");
    }

    private Fields(JsonObject object, Long id, String prefix) {
        this.object = object;
        this.id = id;
        this.prefix = prefix;
    }

    String optionalString(String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw bad("'" + prefix + name + "' must be a string");
    }

    String requiredString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw bad("'" + prefix + name + "' is required");
        }
        return value;
    }

    ChannelName channel() {
        String name = requiredString("channel");
        try {
            return ChannelName.of(name);
        } catch (DuplexException e) {
            throw new FrameException(id, e.code(), e.getMessage());
        }
    }

    IdempotencyKey optionalIdempotencyKey() {
        String value = optionalString("idempotencyKey");
        if (value == null) {
            return null;
        }
        try {
            return IdempotencyKey.of(value);
        } catch (DuplexException e) {
            throw bad("'idempotencyKey': " + e.getMessage());
        }
    }

    StreamPosition optionalPosition(String name) {
        JsonValue value = object.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonObject since)) {
            throw bad("'" + name + "' must be an object {\"epoch\":\"…\",\"offset\":N}");
        }
        Fields inner = new Fields(since, id, name + ".");
        String epoch = inner.requiredString("epoch");
        if (epoch.isEmpty()) {
            throw bad("'" + name + ".epoch' must not be empty");
        }
        long offset = inner.wholeNumber("offset");
        if (offset < 0) {
            throw bad("'" + name + ".offset' must not be negative");
        }
        return new StreamPosition(epoch, offset);
    }

    Payload data() {
        JsonValue value = object.get("data");
        if (value == null || value == JsonValue.NULL) {
            throw bad("'data' is required (any JSON value but null)");
        }
        return Payload.of(value);
    }

    private long wholeNumber(String name) {
        String shownAs = prefix + name;
        JsonValue value = object.get(name);
        if (value == null) {
            throw bad("'" + shownAs + "' is required");
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw bad("'" + shownAs + "' must be a whole number");
        }
        try {
            return number.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw bad("'" + shownAs + "' is out of range");
        }
    }

    private FrameException bad(String message) {
        return new FrameException(id, ErrorCode.BAD_REQUEST, message);
    }
}
