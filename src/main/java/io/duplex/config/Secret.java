package io.duplex.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A key or password from the configuration. Its {@code toString} never shows the value, so a secret that
 * ends up in a log line or an error message by mistake shows as {@code (secret)}.
 */
public record Secret(String value) {

    /** Compares in time independent of where the texts differ, so a guess learns nothing from timing. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
