package io.duplex.rest;

import io.duplex.channel.ChannelName;
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
