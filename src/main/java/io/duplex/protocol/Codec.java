package io.duplex.protocol;

import io.duplex.error.ErrorCode;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;

/**
 * Reads client frames into {@link Command}s. One instance serves every connection; it is thread-safe.
 * Whatever the input, it returns a command or throws {@link FrameException} with a message that says what
 * was wrong: it never lets a parser's exception through.
 */
public final class Codec {
    /** The protocol version this codec speaks, as {@code connected} replies announce it. */
    public static final String VERSION = "1";

    private final JsonReaderFactory readers = JsonProvider.provider().createReaderFactory(Map.of());

    public Command decode(String frame) {
        JsonValue value;
        try (JsonReader reader = readers.createReader(new StringReader(frame))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "malformed JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber());
        } catch (JsonException e) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "malformed JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // Parsson's own limits (nesting deeper than 1000, numbers too large) raise plain RuntimeExceptions.
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "JSON not accepted: " + e.getMessage());
        }
        if (!(value instanceof JsonObject object)) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "a frame must be a JSON object, not " + describe(value));
        }
        Long id = id(object);
        JsonValue type = object.get("type");
        if (!(type instanceof JsonString typeName)) {
            throw new FrameException(id, ErrorCode.BAD_REQUEST, type == null ? "'type' is required" : "'type' must be a string");
        }
        CommandType command = CommandType.of(id, typeName.getString());
        if (id == null) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "'id' is required: a number the reply will carry");
        }
        return command.decode(id, new Fields(object, id));
    }

    private static Long id(JsonObject object) {
        JsonValue value = object.get("id");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "'id' must be a whole number");
        }
        try {
            return number.bigDecimalValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new FrameException(null, ErrorCode.BAD_REQUEST, "'id' is out of range");
        }
    }

    private static String describe(JsonValue value) {
        return switch (value.getValueType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case TRUE, FALSE -> "a boolean";
            case NULL -> "null";
            case OBJECT -> "an object";
        };
    }
}
