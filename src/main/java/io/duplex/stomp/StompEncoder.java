package io.duplex.stomp;

import io.duplex.channel.Utf8;
import java.util.Map;

/**
 * Writes server frames as text, one WebSocket message each. Header values are escaped as the client's version reads
 * them (none in CONNECTED or in 1.0, where a line break that cannot be escaped becomes a space, so a value never ends a
 * line early). A body gets a {@code content-length} in octets unless one is given: a text body may hold a NUL, which
 * would otherwise end the frame early.
 */
public final class StompEncoder {
    private StompEncoder() {
    }

    public static String encode(StompFrame frame, StompVersion version) {
        StompCommand command = frame.command();
        boolean escape = command.escaped() && version.escapes();
        String body = frame.body();
        StringBuilder out = new StringBuilder(64 + body.length());
        out.append(command.name()).append('\n');
        for (Map.Entry<String, String> header : frame.headers().asMap().entrySet()) {
            append(out, header.getKey(), escape, version);
            out.append(':');
            append(out, header.getValue(), escape, version);
            out.append('\n');
        }
        if (!body.isEmpty() && !frame.headers().has("content-length")) {
            out.append("content-length:").append(Utf8.length(body)).append('\n');
        }
        return out.append('\n').append(body).append('\0').toString();
    }

    private static void append(StringBuilder out, String value, boolean escape, StompVersion version) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (escape) {
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case ':' -> out.append("\\c");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append(version.escapesCarriageReturn() ? "\\r" : " ");
                    default -> out.append(c);
                }
            } else {
                out.append(c == '\n' || c == '\r' ? ' ' : c);
            }
        }
    }
}
