package io.duplex.broker;

import java.security.SecureRandom;

/**
 * Draws epochs: short random names for one continuous history of a channel. Random rather than counted, so that a
 * history that was lost (a restart of the memory engine, a flushed Redis) can never come back under an old name.
 */
public final class Epochs {
    // No 0/o, 1/l: an epoch is read and typed by people in logs and bug reports.
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final int LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    /** A new epoch: 12 characters, 60 random bits. */
    public static String random() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
