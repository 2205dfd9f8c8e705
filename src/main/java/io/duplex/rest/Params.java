package io.duplex.rest;

import io.duplex.channel.ChannelName;
import io.duplex.channel.IdempotencyKey;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;

/**
 * Reads request parameters and bodies with errors that say what was wrong. (JAX-RS answers a query parameter
 * that fails conversion with a bare 404, so numbers are taken as text and read here.)
 */
final class Params {
    private Params() {
    }

    static ChannelName channel(String value) {
        return ChannelName.of(value);
    }

    /**
     * The {@code Idempotency-Key} header, or null when absent. Its draft standard writes it as a structured-field string,
     * {@code "…"} in double quotes; a bare value is taken as it is.
     */
    static IdempotencyKey idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        String value = header.length() >= 2 && header.startsWith("\"") && header.endsWith("\"")
                ? header.substring(1, header.length() - 1) : header;
        try {
            return IdempotencyKey.of(value);
        } catch (DuplexException e) {
            throw new DuplexException(e.code(), "Idempotency-Key: " + e.getMessage());
        }
    }

    /** The {@code since} offset, or null when absent. */
    static Long optionalOffset(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return offset(name, value, 0);
    }

    /** An offset of at least {@code min}. */
    static long offset(String name, String value, long min) {
        try {
            long offset = Long.parseLong(value);
            if (offset >= min) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DuplexException(ErrorCode.BAD_REQUEST, "'" + name + "' must be a whole number ≥ " + min + ", not '" + shorten(value) + "'");
    }

    static int limit(String value, int defaultLimit, int max) {
        if (value == null || value.isEmpty()) {
            return Math.min(defaultLimit, max);
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DuplexException(ErrorCode.BAD_REQUEST, "'limit' must be a whole number from 1 to " + max + ", not '" + shorten(value) + "'");
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
