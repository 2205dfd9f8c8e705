package io.duplex.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How the settings every bridge has are read: channel patterns, comma-separated items. */
final class BridgeValues {
    private BridgeValues() {
    }

    /** Comma-separated channel patterns with {@code *}. */
    static ValueType<List<ChannelPattern>> channelPatterns() {
        return new ValueType<>() {
            @Override
            String expected() {
                return "comma-separated channel names or patterns with * for any run of characters, e.g. orders:*,alerts";
            }

            @Override
            List<ChannelPattern> parse(String text) {
                List<ChannelPattern> patterns = new ArrayList<>();
                for (String item : items(text, expected())) {
                    try {
                        patterns.add(new ChannelPattern(item));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(expected() + " (" + e.getMessage() + ")");
                    }
                }
                return List.copyOf(patterns);
            }
        };
    }

    /** The comma-separated items of a text, trimmed; an empty item is an error naming what was expected. */
    static List<String> items(String text, String expected) {
        List<String> items = Arrays.stream(text.split(",", -1)).map(String::trim).toList();
        if (items.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(expected + " (an item is empty)");
        }
        return new ArrayList<>(items);
    }
}
