package io.duplex.channel;

/**
 * A place in a channel's history: the {@code epoch} names one continuous history of the channel, the
 * {@code offset} counts its messages from 1 (0 before the first).
 */
public record StreamPosition(String epoch, long offset) {
    public StreamPosition {
        if (epoch == null || epoch.isEmpty()) {
            throw new IllegalArgumentException("epoch is empty");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
    }
}
