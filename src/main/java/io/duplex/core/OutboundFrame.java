package io.duplex.core;

import io.duplex.protocol.ServerFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A frame ready to send: its text and its size in UTF-8, computed once however many sessions it goes to, and its
 * UTF-8 bytes, encoded on first use and shared by every session that is sent them (a transport that writes bytes
 * reads them through its own view: {@code utf8().duplicate()}).
 */
public final class OutboundFrame {
    private final String text;
    private final int bytes;
    private volatile ByteBuffer utf8;

    public OutboundFrame(String text, int bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    public static OutboundFrame of(ServerFrame frame) {
        String text = frame.toJson();
        return new OutboundFrame(text, utf8Length(text));
    }

    public String text() {
        return text;
    }

    /** Size of the text in UTF-8. */
    public int bytes() {
        return bytes;
    }

    /** The text in UTF-8, read-only; encoded once (a race encodes it twice, harmlessly). */
    public ByteBuffer utf8() {
        ByteBuffer encoded = utf8;
        if (encoded == null) {
            encoded = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
            utf8 = encoded;
        }
        return encoded;
    }

    @Override
    public String toString() {
        return text;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
