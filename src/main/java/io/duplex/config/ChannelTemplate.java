package io.duplex.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * How a bridge names the channel of a message from outside: literal channel characters and placeholders in braces,
 * {@code order:{key}}, {@code {topic}}, {@code {header:channel}}. A placeholder is a name, or a name and an argument
 * after a colon; which names exist is the bridge's business, checked when the template is read.
 */
public final class ChannelTemplate {
    /** The characters of a channel name (io.duplex.channel.ChannelName, which the config package cannot see). */
    private static final String CHANNEL_PUNCTUATION = "_-.:@#";

    private final String text;
    private final List<Part> parts;

    private ChannelTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** One piece: literal text ({@code name} null), or a placeholder with its name and optional argument. */
    public record Part(String literal, String name, String argument) {
    }

    /**
     * Reads a template whose placeholders must be among {@code names} (a name ending in {@code :} takes an argument:
     * {@code header:}). Throws IllegalArgumentException saying what is wrong.
     */
    public static ChannelTemplate parse(String text, Set<String> names) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the channel template is empty");
        }
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("'{' at position " + (i + 1) + " of '" + text + "' is not closed");
                }
                parts.add(placeholder(text.substring(i + 1, end), names, text));
                i = end + 1;
            } else {
                int start = i;
                while (i < text.length() && text.charAt(i) != '{') {
                    if (!channelCharacter(text.charAt(i))) {
                        throw new IllegalArgumentException("'" + text + "' has '" + text.charAt(i) + "' at position " + (i + 1)
                                + ", which a channel name cannot hold (A-Z a-z 0-9 _ - . : @ #, and {placeholders})");
                    }
                    i++;
                }
                parts.add(new Part(text.substring(start, i), null, null));
            }
        }
        return new ChannelTemplate(text, parts);
    }

    private static Part placeholder(String inside, Set<String> names, String text) {
        int colon = inside.indexOf(':');
        String name = colon < 0 ? inside : inside.substring(0, colon + 1);
        String argument = colon < 0 ? null : inside.substring(colon + 1);
        if (!names.contains(name)) {
            throw new IllegalArgumentException("'" + text + "' has the placeholder {" + inside + "}; known are "
                    + String.join(", ", names.stream().sorted().map(n -> "{" + n + (n.endsWith(":") ? "NAME" : "") + "}").toList()));
        }
        if (argument != null && (argument.isEmpty() || !argument.chars().allMatch(ch -> channelCharacter((char) ch)))) {
            throw new IllegalArgumentException("'" + text + "' has {" + inside + "}, whose name after ':' must be 1 or more of "
                    + "A-Z a-z 0-9 _ - . : @ #");
        }
        return new Part(null, name, argument);
    }

    static boolean channelCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || CHANNEL_PUNCTUATION.indexOf(c) >= 0;
    }

    /**
     * The channel name for one message: each placeholder replaced by what {@code values} gives for it (which may throw,
     * saying why the message has no such value). The result still has to be checked as a channel name.
     */
    public String render(Function<Part, String> values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.name() == null ? part.literal() : values.apply(part));
        }
        return out.toString();
    }

    /** Whether the template has no placeholder: every message goes to one channel. */
    public boolean fixed() {
        return parts.stream().allMatch(p -> p.name() == null);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelTemplate other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
