package io.duplex.channel;

/** The size of a text in UTF-8, counted without encoding it: frames and bodies are measured once, before they are sent. */
public final class Utf8 {
    private Utf8() {
    }

    /** Bytes of {@code s} in UTF-8 (an unpaired surrogate counts as the 3 bytes of its replacement). */
    public static int length(String s) {
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
