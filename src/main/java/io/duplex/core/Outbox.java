package io.duplex.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's bounded outbound queue. {@link #offer} never blocks: it queues the frame and, if nothing is
 * being sent, starts sending. One send is outstanding at a time (portable WebSocket containers allow no more);
 * its completion starts the next. A queue over its count or byte bound reports an overflow, so the session
 * is disconnected alone while the publisher and the other sessions go on.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** What the outbox tells its session. */
    interface Listener {
        /** The queue overflowed: the client reads too slowly. */
        void overflowed();

        /** A send failed: the connection is broken. */
        void failed(Throwable cause);
    }

    private final Connection connection;
    private final int maxMessages;
    private final long maxBytes;
    private final Listener listener;
    private final ConcurrentLinkedQueue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Frames dropped unsent when the outbox closed, for the metrics: written only on closing, never per frame. */
    private final AtomicInteger discarded = new AtomicInteger();
    private volatile long sendStartedNanos;
    private volatile boolean closed;

    Outbox(Connection connection, int maxMessages, long maxBytes, Listener listener) {
        this.connection = connection;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.listener = listener;
    }

    /** Queues a frame; false if the outbox is closed or the frame overflowed it. */
    boolean offer(OutboundFrame frame) {
        if (closed) {
            return false;
        }
        int count = queued.incrementAndGet();
        long bytes = queuedBytes.addAndGet(frame.bytes());
        if (count > maxMessages || bytes > maxBytes) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-frame.bytes());
            if (!closed) {
                discarded.incrementAndGet(); // the frame that did not fit
                close();
                listener.overflowed();
            }
            return false;
        }
        queue.add(frame);
        drain();
        return true;
    }

    /** Nanoseconds the outstanding send has taken so far, 0 when nothing is outstanding. */
    long sendingForNanos(long now) {
        long started = sendStartedNanos;
        return started == 0 ? 0 : now - started;
    }

    /** Whether nothing is queued or being sent. */
    boolean idle() {
        return !sending.get() && queue.isEmpty();
    }

    int queued() {
        return queued.get();
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Frames that were queued, or did not fit, and will never be sent because the outbox closed. */
    int discarded() {
        return discarded.get();
    }

    /** Drops what is queued; nothing more is sent. */
    void close() {
        closed = true;
        queue.clear();
        discarded.addAndGet(Math.max(0, queued.getAndSet(0)));
        queuedBytes.set(0);
    }

    private void drain() {
        while (!closed && sending.compareAndSet(false, true)) {
            OutboundFrame frame = queue.poll();
            if (frame == null) {
                sending.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue; // a frame arrived between poll and release: take it
            }
            queued.decrementAndGet();
            queuedBytes.addAndGet(-frame.bytes());
            // 0: sending; 1: send() returned first; 2: completion ran first. Whoever comes second
            // continues the drain, so a container that completes inside send() does not recurse.
            AtomicInteger phase = new AtomicInteger();
            sendStartedNanos = System.nanoTime();
            try {
                connection.send(frame.text(), failure -> {
                    sendStartedNanos = 0;
                    if (failure != null) {
                        fail(failure);
                        return;
                    }
                    sending.set(false);
                    if (phase.getAndSet(2) == 1) {
                        drain();
                    }
                });
            } catch (RuntimeException e) {
                sendStartedNanos = 0;
                fail(e);
                return;
            }
            if (phase.getAndSet(1) != 2) {
                return;
            }
        }
    }

    private void fail(Throwable cause) {
        if (closed) {
            return;
        }
        close();
        LOG.log(Level.FINE, "send failed: {0}", String.valueOf(cause));
        listener.failed(cause);
    }
}
