package io.duplex.broker.memory;

import io.duplex.broker.BrokerListener;
import io.duplex.channel.ChannelMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One channel's offset counter, retained history, and the messages on their way to the listener. Offsets and history
 * are not thread-safe: {@link MemoryBroker} holds the stream's lock around every call. Delivery is not done under it:
 * see {@link #deliver}.
 */
final class MemoryStream {
    private static final Logger LOG = Logger.getLogger(MemoryStream.class.getName());
    private final ArrayDeque<ChannelMessage> retained = new ArrayDeque<>();
    /** Published under the lock and not handed to the listener yet, in offset order. Guarded by this. */
    private final ArrayDeque<ChannelMessage> undelivered = new ArrayDeque<>(4);
    /** A thread is handing this stream's messages to the listener. Guarded by this. */
    private boolean delivering;
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

    /** Queues a message for {@link #deliver}; called under the lock that assigned its offset, so the queue is in offset order. */
    void toDeliver(ChannelMessage message) {
        undelivered.add(message);
    }

    /**
     * Hands the queued messages to the listener, in offset order, without holding the stream's lock while the listener
     * runs: one thread at a time delivers, and a publisher that finds another delivering leaves its message to it. So a
     * publish never waits for another's fan-out, and the listener never runs under a lock a publisher needs. Call it
     * without the lock.
     */
    void deliver(BrokerListener listener) {
        synchronized (this) {
            if (delivering) {
                return;
            }
            delivering = true;
        }
        while (true) {
            ChannelMessage next;
            synchronized (this) {
                next = undelivered.poll();
                if (next == null) {
                    delivering = false;
                    return;
                }
            }
            try {
                listener.onMessage(next);
            } catch (RuntimeException e) {
                // A listener's bug must not stop the channel's delivery for good.
                LOG.log(Level.SEVERE, "delivering " + next.channel() + " " + next.offset() + " failed", e);
            }
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
