package io.duplex.config;

import java.util.regex.Pattern;

/**
 * Channels a bridge exports, as a name with {@code *} standing for any run of characters: {@code orders:*},
 * {@code chat.*.events}, {@code *} (every channel), or an exact name.
 */
public final class ChannelPattern {
    private final String text;
    private final Pattern regex;

    public ChannelPattern(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a channel pattern is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '*' && !ChannelTemplate.channelCharacter(c)) {
                throw new IllegalArgumentException("channel pattern '" + text + "' has '" + c + "' at position " + (i + 1)
                        + "; a pattern is channel characters (A-Z a-z 0-9 _ - . : @ #) and * for any run of them");
            }
        }
        this.text = text;
        StringBuilder out = new StringBuilder();
        String[] pieces = text.split("\\*", -1);
        for (int i = 0; i < pieces.length; i++) {
            out.append(i > 0 ? ".*" : "").append(Pattern.quote(pieces[i]));
        }
        this.regex = Pattern.compile(out.toString());
    }

    /** Whether the channel name matches. */
    public boolean matches(String channel) {
        return regex.matcher(channel).matches();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPattern other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
