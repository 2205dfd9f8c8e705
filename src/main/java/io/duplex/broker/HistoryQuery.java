package io.duplex.broker;

/**
 * Which part of a channel's history to read: the messages after an offset ({@link #after}), oldest
 * first, or the newest ones ({@link #latest}), also returned oldest first.
 */
public record HistoryQuery(long since, int limit, boolean newest) {

    public HistoryQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        if (since < 0) {
            throw new IllegalArgumentException("since is negative: " + since);
        }
    }

    /** Up to {@code limit} messages with an offset greater than {@code since}. */
    public static HistoryQuery after(long since, int limit) {
        return new HistoryQuery(since, limit, false);
    }

    /** The newest {@code limit} messages. */
    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(0, limit, true);
    }
}
