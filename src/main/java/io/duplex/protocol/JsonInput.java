package io.duplex.protocol;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;

/**
 * Strict reading of JSON text from clients, for WebSocket frames and REST bodies alike: exactly one value,
 * nothing after it, no escaped surrogate that does not form a character (a parser would quietly turn it into
 * "?"), and an error that says where the text went wrong instead of the parser's own wording.
 */
public final class JsonInput {
    // Factories are stateless and thread-safe; looking the provider up per call is what costs.
    private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

    private JsonInput() {
    }

    /** The one JSON object of {@code text}; {@code what} names the text in errors ("frame", "request body"). */
    public static JsonObject readObject(String text, String what) {
        JsonObject object = parseObject(text, what);
        checkSurrogates(text);
        return object;
    }

    /**
     * The one JSON object of {@code text}, without the surrogate check: for a caller that wants to read a field
     * (a command's id) before it calls {@link #checkSurrogates}.
     */
    public static JsonObject parseObject(String text, String what) {
        JsonValue value = read(text, what);
        if (!(value instanceof JsonObject object)) {
            throw bad("a " + what + " must be a JSON object, not " + describe(value));
        }
        return object;
    }

    /** The one JSON value of {@code text}, of any kind (a bridge's record value); throws {@code bad_request} naming what is wrong. */
    public static JsonValue readValue(String text, String what) {
        JsonValue value = read(text, what);
        checkSurrogates(text);
        return value;
    }

    private static JsonValue read(String text, String what) {
        if (text.isBlank()) {
            throw bad("empty " + what + "; expected a JSON object");
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw bad("unexpected content after the JSON value of the " + what);
            }
            return value;
        } catch (JsonParsingException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Expected EOF")) {
                throw bad("unexpected content after the JSON value of the " + what);
            }
            throw bad("malformed JSON in the " + what + " at line " + e.getLocation().getLineNumber()
                    + ", column " + Math.max(1, e.getLocation().getColumnNumber()));
        } catch (JsonException e) {
            throw bad("malformed JSON in the " + what);
        } catch (RuntimeException e) {
            // Parsson's own limits (nesting deeper than 1000, numbers too long) raise plain RuntimeExceptions.
            throw bad("JSON not accepted in the " + what + ": " + e.getMessage());
        }
    }

    /**
     * Refuses {@code \ud800}-style escapes that are not a high surrogate followed by a low one: the parser
     * would turn them into "?", silently changing the data.
     */
    public static void checkSurrogates(String text) {
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                inString = !inString;
            } else if (inString && c == '\\' && i + 1 < text.length()) {
                if (text.charAt(i + 1) != 'u') {
                    i++; // a one-character escape, possibly \" or \\
                    continue;
                }
                int unit = hex(text, i + 2);
                if (Character.isHighSurrogate((char) unit)) {
                    int next = text.startsWith("\\u", i + 6) ? hex(text, i + 8) : -1;
                    if (next < 0 || !Character.isLowSurrogate((char) next)) {
                        throw unpaired(unit);
                    }
                    i += 11;
                } else if (Character.isLowSurrogate((char) unit)) {
                    throw unpaired(unit);
                } else {
                    i += 5;
                }
            }
        }
    }

    private static int hex(String text, int at) {
        if (at + 4 > text.length()) {
            return -1;
        }
        try {
            return Integer.parseInt(text.substring(at, at + 4), 16);
        } catch (NumberFormatException e) {
            return -1; // the parser reports the bad escape
        }
    }

    private static DuplexException unpaired(int unit) {
        return bad(String.format("the escape \\u%04x is half of a surrogate pair; JSON text must encode whole characters", unit));
    }

    private static DuplexException bad(String message) {
        return new DuplexException(ErrorCode.BAD_REQUEST, message);
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
