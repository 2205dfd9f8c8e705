package io.duplex.config;

/** Byte counts as people write them. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 65536} → {@code 64KiB}; sizes that are not a whole number of KiB stay in bytes. */
    public static String format(long bytes) {
        if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GiB";
        }
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return Long.toString(bytes);
    }
}
