package io.duplex.protocol;

/**
 * Writes one JSON object as text, field by field. Frames are small and written very often; this avoids a
 * generator per frame and lets already-serialised data be embedded as it is.
 */
final class JsonText {
    private final StringBuilder out;
    private boolean first = true;

    JsonText(int capacity) {
        out = new StringBuilder(capacity).append('{');
    }

    JsonText field(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            string(out, value);
        }
        return this;
    }

    JsonText field(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    JsonText field(String name, boolean value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A field whose value is JSON text already (a payload, an array written elsewhere). */
    JsonText raw(String name, String json) {
        name(name);
        out.append(json);
        return this;
    }

    /** A nullable number: JSON null when absent. */
    JsonText field(String name, Long value) {
        name(name);
        out.append(value == null ? "null" : value.toString());
        return this;
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(name).append("\":");
    }

    String close() {
        return out.append('}').toString();
    }

    /** Appends a JSON string literal, escaped as RFC 8259 requires. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
