package io.duplex.core;

import io.duplex.channel.Utf8;
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
        return of(frame.toJson());
    }

    /** A frame of this text, whichever door's protocol it is in. */
    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, Utf8.length(text));
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
}
