package io.duplex.core;

import io.duplex.protocol.ServerFrame;

/** A frame ready to send: its text and its size in UTF-8, computed once however many sessions it goes to. */
public record OutboundFrame(String text, int bytes) {

    public static OutboundFrame of(ServerFrame frame) {
        String text = frame.toJson();
        return new OutboundFrame(text, utf8Length(text));
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
