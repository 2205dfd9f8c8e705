package io.duplex.channel;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code data} of a message, kept as compact JSON text: that is what every push and every engine
 * carries, and text takes a fraction of the memory of a parsed tree in history.
 */
public final class Payload {
    // A factory is stateless and thread-safe; looking the JSON provider up per call is what costs.
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private final String json;
    private final int bytes;

    private Payload(String json) {
        this.json = json;
        this.bytes = json.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The payload of a parsed value, serialised once in compact form. */
    public static Payload of(JsonValue value) {
        return new Payload(value.toString());
    }

    /**
     * A payload from JSON text that a {@code Payload} produced and an engine stored or carried (Redis): it is not
     * parsed again, which would cost each node a parse per message for text that was valid when it was published.
     */
    public static Payload stored(String compactJson) {
        return new Payload(compactJson);
    }

    /** Compact JSON text. */
    public String json() {
        return json;
    }

    /** Size of the JSON text in UTF-8. */
    public int bytes() {
        return bytes;
    }

    /** The data as a JSON value (parsed on each call; used by REST reads, not by pushes). */
    public JsonValue value() {
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload other && other.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
