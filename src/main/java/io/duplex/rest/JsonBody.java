package io.duplex.rest;

import io.duplex.channel.Payload;
import io.duplex.config.Sizes;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.protocol.JsonInput;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the {@code {"data": …}} body of a REST request the way the WebSocket door reads a frame: bounded by
 * {@code frame.max.bytes} while it is read, strictly UTF-8, exactly one JSON object — so both doors accept
 * and refuse the same things, with the same messages.
 */
final class JsonBody {
    private JsonBody() {
    }

    static Payload data(InputStream body, MediaType type, String contentLength, int maxBytes) {
        JsonObject object = object(body, type, contentLength, maxBytes, "frame.max.bytes");
        JsonValue data = object.get("data");
        if (data == null || data == JsonValue.NULL) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "'data' is required (any JSON value but null)");
        }
        return Payload.of(data);
    }

    /** The body as one JSON object, read bounded by {@code maxBytes} (the setting {@code limitName}). */
    static JsonObject object(InputStream body, MediaType type, String contentLength, int maxBytes, String limitName) {
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new NotSupportedException("JSON must be sent in UTF-8, not " + charset);
        }
        long length = length(contentLength);
        if (length > maxBytes) {
            throw tooLarge(maxBytes, limitName);
        }
        return JsonInput.readObject(utf8(read(body, length, maxBytes, limitName)), "request body");
    }

    /** The declared Content-Length, or -1 when there is none (chunked) or it is not a number. */
    private static long length(String contentLength) {
        if (contentLength == null || contentLength.isEmpty() || contentLength.length() >= 19) {
            return -1;
        }
        for (int i = 0; i < contentLength.length(); i++) {
            if (!Character.isDigit(contentLength.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(contentLength);
    }

    /** The body: its declared length when declared (one read, profiled cheaper), else up to the limit, more refused. */
    private static byte[] read(InputStream body, long length, int maxBytes, String limitName) {
        try {
            if (length >= 0) {
                byte[] bytes = body.readNBytes((int) length);
                if (bytes.length < length) {
                    throw new DuplexException(ErrorCode.BAD_REQUEST, "the request body could not be read to its end");
                }
                return bytes;
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(maxBytes, limitName);
            }
            return bytes;
        } catch (IOException e) {
            // The client went away or stalled mid-body: its problem, answered (if it still listens), not logged.
            throw new DuplexException(ErrorCode.BAD_REQUEST, "the request body could not be read to its end");
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new DuplexException(ErrorCode.BAD_REQUEST, "the request body is not valid UTF-8");
        }
    }

    private static DuplexException tooLarge(int maxBytes, String limitName) {
        return new DuplexException(ErrorCode.TOO_LARGE, "the request body is larger than " + Sizes.format(maxBytes) + " (" + limitName + ")");
    }
}
