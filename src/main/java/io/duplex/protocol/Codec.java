package io.duplex.protocol;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads client frames into {@link Command}s. One instance serves every connection; it is thread-safe.
 * Whatever the input, it returns a command or throws {@link FrameException} with a message that says what
 * was wrong: it never lets a parser's exception through.
 */
public final class Codec {
    /** The protocol version this codec speaks, as {@code connected} replies announce it. */
    public static final String VERSION = "1";

    public Command decode(String frame) {
        JsonObject object;
        try {
            object = JsonInput.parseObject(frame, "frame");
        } catch (DuplexException e) {
            throw new FrameException(null, e.code(), e.getMessage());
        }
        Long id = id(object);
        try {
            JsonInput.checkSurrogates(frame);
        } catch (DuplexException e) {
            throw new FrameException(id, e.code(), e.getMessage());
        }
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
}
