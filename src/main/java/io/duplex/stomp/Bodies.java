package io.duplex.stomp;

import io.duplex.channel.Payload;
import io.duplex.error.DuplexException;
import io.duplex.protocol.JsonInput;
import jakarta.json.Json;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Locale;

/**
 * How a STOMP body and a channel message's {@code data} (always JSON) map onto each other, both ways, so that a body
 * sent over STOMP comes back to a STOMP subscriber as it was sent:
 * <ul>
 * <li>SEND with {@code content-type: application/json} (or any {@code +json} type): the body is parsed as JSON and is the
 *     data; invalid JSON is an ERROR.</li>
 * <li>SEND with a {@code text/*} type, or none: the body is text and the data is that JSON string.</li>
 * <li>Any other type (e.g. {@code application/octet-stream}), or a charset other than UTF-8: an ERROR.</li>
 * <li>MESSAGE: data that is a JSON string goes as its text, {@code content-type: text/plain;charset=utf-8}; any other
 *     data as its compact JSON, {@code content-type: application/json}.</li>
 * </ul>
 */
public final class Bodies {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain;charset=utf-8";

    private Bodies() {
    }

    /** The data a SEND's body becomes. */
    public static Payload data(String contentType, String body) {
        if (contentType == null) {
            return Payload.of(Json.createValue(body));
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    throw new StompException("content-type charset " + charset + " is not supported: send UTF-8");
                }
            }
        }
        if (type.equals(JSON) || (type.startsWith("application/") && type.endsWith("+json"))) {
            return Payload.of(json(body));
        }
        if (type.startsWith("text/")) {
            return Payload.of(Json.createValue(body));
        }
        throw new StompException("content-type " + type + " is not supported: send application/json or text/plain");
    }

    /** Read as strictly as the v1 protocol's {@code data}. */
    private static JsonValue json(String body) {
        try {
            return JsonInput.readValue(body, "body");
        } catch (DuplexException e) {
            throw new StompException(e.getMessage());
        }
    }

    /** A MESSAGE's body and its content-type, for a message's data. */
    public static Body of(Payload data) {
        String json = data.json();
        if (json.startsWith("\"")) {
            return new Body(TEXT, ((JsonString) data.value()).getString());
        }
        return new Body(JSON, json);
    }

    /** A body and its content-type. */
    public record Body(String contentType, String text) {
    }
}
