package io.duplex.broker.memory;

import io.duplex.channel.ChannelMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One channel's offset counter and retained history. Not thread-safe: {@link MemoryBroker} holds the
 * stream's lock around every call, which is also what keeps delivery in offset order.
 */
final class MemoryStream {
    private final ArrayDeque<ChannelMessage> retained = new ArrayDeque<>();
    private long offset;

    long offset() {
        return offset;
    }

    long nextOffset() {
        return ++offset;
    }

    void append(ChannelMessage message, int maxSize) {
        if (maxSize == 0) {
            return;
        }
        retained.addLast(message);
        while (retained.size() > maxSize) {
            retained.removeFirst();
        }
    }

    /** Drops messages older than the time to live; returns whether any are left. */
    boolean expire(Instant now, Duration ttl) {
        Instant oldest = now.minus(ttl);
        while (!retained.isEmpty() && retained.peekFirst().time().isBefore(oldest)) {
            retained.removeFirst();
        }
        return !retained.isEmpty();
    }

    /** Up to {@code limit} retained messages with an offset greater than {@code since}, oldest first. */
    List<ChannelMessage> after(long since, int limit) {
        List<ChannelMessage> out = new ArrayList<>(Math.min(limit, retained.size()));
        for (ChannelMessage m : retained) {
            if (out.size() == limit) {
                break;
            }
            if (m.offset() > since) {
                out.add(m);
            }
        }
        return out;
    }

    /** The newest {@code limit} retained messages, oldest first. */
    List<ChannelMessage> newest(int limit) {
        int n = Math.min(limit, retained.size());
        List<ChannelMessage> out = new ArrayList<>(n);
        Iterator<ChannelMessage> it = retained.descendingIterator();
        for (int i = 0; i < n; i++) {
            out.add(it.next());
        }
        Collections.reverse(out);
        return out;
    }
}
