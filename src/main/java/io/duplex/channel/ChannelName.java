package io.duplex.channel;

import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;

/**
 * A valid channel name: 1-255 characters of {@code A-Z a-z 0-9 _ - . : @ #}. The restricted alphabet
 * also means a name never needs escaping inside a JSON string.
 */
public record ChannelName(String value) implements Comparable<ChannelName> {
    public static final int MAX_LENGTH = 255;

    public ChannelName {
        if (value == null || value.isEmpty()) {
            throw new DuplexException(ErrorCode.INVALID_CHANNEL, "channel name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new DuplexException(ErrorCode.INVALID_CHANNEL,
                    "channel name is " + value.length() + " characters long; the most is " + MAX_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                throw new DuplexException(ErrorCode.INVALID_CHANNEL, "channel name '" + printable(value)
                        + "' has a character that is not allowed at position " + (i + 1)
                        + "; allowed are A-Z a-z 0-9 _ - . : @ #");
            }
        }
    }

    public static ChannelName of(String value) {
        return new ChannelName(value);
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.' || c == ':' || c == '@' || c == '#';
    }

    /** The name as it can be shown in an error message: short, and without control characters. */
    private static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    @Override
    public int compareTo(ChannelName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
