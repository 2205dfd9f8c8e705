package io.duplex.config;

/**
 * The MQTT topic a bridge sends a channel's messages to: topic text with {@code {channel}} standing for the channel's
 * levels ({@code duplex/{channel}}); without it, every message goes to that one topic.
 */
public final class TopicTemplate {
    public static final String CHANNEL = "{channel}";

    private final String text;

    private TopicTemplate(String text) {
        this.text = text;
    }

    /** Reads a template; throws IllegalArgumentException saying what a topic name cannot hold. */
    public static TopicTemplate parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the topic template is empty");
        }
        String literal = text.replace(CHANNEL, "");
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000') {
                throw new IllegalArgumentException("'" + text + "' has '" + (c == 0 ? "NUL" : String.valueOf(c))
                        + "', which an MQTT topic name cannot hold");
            }
            if (c == '{' || c == '}') {
                throw new IllegalArgumentException("'" + text + "' has '" + c + "' outside {channel}, the only placeholder");
            }
        }
        if (text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' starts with $, which brokers keep for themselves ($SYS)");
        }
        return new TopicTemplate(text);
    }

    /** The topic for one channel, given the channel's name written as topic levels. */
    public String render(String channelLevels) {
        return text.replace(CHANNEL, channelLevels);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicTemplate other && other.text.equals(text);
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
