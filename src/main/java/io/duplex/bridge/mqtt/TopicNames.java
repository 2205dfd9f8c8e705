package io.duplex.bridge.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * How MQTT topic names and channel names are written in each other's alphabet, one rule both ways so that a device's
 * topic and the channel it maps to map back to the same topic:
 * <ul>
 * <li>topic → channel: each level separator {@code /} becomes {@code .}; a character a channel name cannot hold (and
 * {@code .} and {@code @} themselves, which would be read back as a separator or an escape) is written {@code @XX}, its
 * UTF-8 bytes in upper-case hex: {@code plant/7/temp °C} → {@code plant.7.temp@20@C2@B0C}.</li>
 * <li>channel → topic: {@code .} becomes {@code /}, {@code @XX} the character it stands for, except {@code /}, {@code +},
 * {@code #} and NUL, which a topic level cannot hold and stay written as they are; {@code #} (which channels may hold and
 * topics may not) is written {@code @23}.</li>
 * </ul>
 */
final class TopicNames {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TopicNames() {
    }

    /** A topic level (or a whole topic, then {@code /} becomes {@code .}) in channel characters. */
    static String toChannel(String topic) {
        StringBuilder out = new StringBuilder(topic.length() + 8);
        byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            char c = (char) (b & 0xff);
            if (c == '/') {
                out.append('.');
            } else if (b >= 0 && plain(c)) {
                out.append(c);
            } else {
                out.append('@').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** Channel characters that stand for themselves in a topic. */
    private static boolean plain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':';
    }

    /** A channel name as topic levels. */
    static String toTopic(String channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(channel.length() + 8);
        int i = 0;
        while (i < channel.length()) {
            char c = channel.charAt(i);
            if (c == '.') {
                out.write('/');
                i++;
            } else if (c == '#') {
                writeAscii(out, "@23");
                i++;
            } else if (c == '@' && i + 2 < channel.length() && hex(channel.charAt(i + 1)) >= 0 && hex(channel.charAt(i + 2)) >= 0) {
                int b = hex(channel.charAt(i + 1)) * 16 + hex(channel.charAt(i + 2));
                if (b == '/' || b == '+' || b == '#' || b == 0) {
                    writeAscii(out, channel.substring(i, i + 3));
                } else {
                    out.write(b);
                }
                i += 3;
            } else {
                out.write(c);
                i++;
            }
        }
        // Escapes that do not form UTF-8 become U+FFFD rather than failing: the channel was valid, so is this topic.
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void writeAscii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
