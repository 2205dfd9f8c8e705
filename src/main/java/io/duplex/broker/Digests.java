package io.duplex.broker;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/** The hashes behind idempotent publishing: a request's scoped key and its fingerprint. */
final class Digests {
    private Digests() {
    }

    /** SHA-256 (hex) of the parts, each followed by a NUL, so that ("ab","c") and ("a","bc") differ. */
    static String sha256(String... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must have", e);
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The value as compact JSON with every object's members sorted by name. Numbers and strings are written as they were
     * read ({@code 1.0} and {@code 1} stay different: subscribers would see different text).
     */
    static String canonical(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonValue value, StringBuilder out) {
        if (value instanceof JsonObject object) {
            out.append('{');
            boolean first = true;
            for (String name : new TreeSet<>(object.keySet())) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(Json.createValue(name)).append(':');
                write(object.get(name), out);
            }
            out.append('}');
        } else if (value instanceof JsonArray array) {
            out.append('[');
            for (int i = 0; i < array.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(array.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
