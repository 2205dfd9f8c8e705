package io.duplex.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One session's bounded outbound queue. {@link #offer} never blocks and never writes: it queues the frame and, if the
 * outbox was idle, hands it to the {@code flusher} (the node's delivery threads), which writes what is queued. One
 * write is outstanding at a time (portable WebSocket containers allow no more); its completion starts the next.
 *
 * <p>Writing on the flusher rather than on the publisher's thread is what lets frames meet: while a publisher's
 * thread offers a message to thousands of sessions, the frames of the messages before it are still being written,
 * and a session whose earlier write has not finished gets its next frames in one write ({@link Connection#send}
 * takes them together). Under a light load every frame is written on its own, as soon as the flusher gets to it;
 * under a heavy one a write carries many, which is where the saved system calls come from.
 *
 * <p>A queue over its count or byte bound reports an overflow, so the session is disconnected alone while the
 * publisher and the other sessions go on. The frames of the write under way (at most {@link #MAX_BATCH}) are out of
 * the queue and not counted.
 */
final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    /** Most frames one write carries, and most bytes: a write is one system call and one buffer's worth. */
    static final int MAX_BATCH = 64;
    static final int MAX_BATCH_BYTES = 64 * 1024;

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
    private final Executor flusher;
    private final Runnable drain = this::drain;
    /** Frames waiting; null while there are none, since most sessions are idle most of the time. Guarded by this. */
    private ArrayDeque<OutboundFrame> queue;
    private long queuedBytes;
    /** A drain is scheduled or running, or a write is outstanding: nobody else may start one. Guarded by this. */
    private boolean active;
    /** Frames dropped unsent when the outbox closed, for the metrics: counted only on closing, never per frame. Guarded by this. */
    private int discarded;
    private volatile long sendStartedNanos;
    private volatile boolean closed;

    Outbox(Connection connection, int maxMessages, long maxBytes, Listener listener, Executor flusher) {
        this.connection = connection;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.listener = listener;
        this.flusher = flusher;
    }

    /** Queues a frame for the flusher; false if the outbox is closed or the frame overflowed it. */
    boolean offer(OutboundFrame frame) {
        return offer(frame, false);
    }

    /**
     * Queues a frame; false if the outbox is closed or the frame overflowed it. With {@code writeNow}, an idle outbox is
     * written on the calling thread rather than handed to the flusher: for a reply, on the thread that read the
     * command, so that it is in the container's hands before anything that follows it (a close after an error).
     */
    boolean offer(OutboundFrame frame, boolean writeNow) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return false;
            }
            int queued = queue == null ? 0 : queue.size();
            if (queued + 1 > maxMessages || queuedBytes + frame.bytes() > maxBytes) {
                discarded++; // the frame that did not fit
                dropAll();
                schedule = false;
            } else {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                queue.add(frame);
                queuedBytes += frame.bytes();
                schedule = !active;
                active = true;
                frame = null;
            }
        }
        if (frame != null) {
            // Overflowed: reported outside the lock (it disconnects the session).
            listener.overflowed();
            return false;
        }
        if (schedule) {
            if (writeNow) {
                drain();
            } else {
                schedule();
            }
        }
        return true;
    }

    /** Nanoseconds the outstanding write has taken so far, 0 when nothing is outstanding. */
    long sendingForNanos(long now) {
        long started = sendStartedNanos;
        return started == 0 ? 0 : now - started;
    }

    /** Whether nothing is queued or being written. */
    synchronized boolean idle() {
        return !active && (queue == null || queue.isEmpty());
    }

    synchronized int queued() {
        return queue == null ? 0 : queue.size();
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Frames that were queued, or did not fit, and will never be sent because the outbox closed. */
    synchronized int discarded() {
        return discarded;
    }

    /** Drops what is queued; nothing more is sent. */
    void close() {
        synchronized (this) {
            dropAll();
        }
    }

    private void dropAll() {
        if (queue != null) {
            discarded += queue.size();
        }
        closed = true;
        queue = null;
        queuedBytes = 0;
    }

    private void schedule() {
        try {
            flusher.execute(drain);
        } catch (RejectedExecutionException e) {
            // The application is stopping: its sessions are being closed.
            synchronized (this) {
                active = false;
            }
        }
    }

    /** Writes what is queued, one batch at a time; runs on the flusher, then on the completions of the writes. */
    private void drain() {
        while (true) {
            List<OutboundFrame> batch = take();
            if (batch == null) {
                return;
            }
            // 0: sending; 1: send() returned first; 2: completion ran first. Whoever comes second
            // continues the drain, so a container that completes inside send() does not recurse.
            AtomicInteger phase = new AtomicInteger();
            sendStartedNanos = System.nanoTime();
            try {
                connection.send(batch, failure -> {
                    sendStartedNanos = 0;
                    if (failure != null) {
                        fail(failure);
                        return;
                    }
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

    /** The next batch to write, or null (and no longer active) when there is none. */
    private synchronized List<OutboundFrame> take() {
        if (closed || queue == null || queue.isEmpty()) {
            active = false;
            return null;
        }
        int n = Math.min(queue.size(), MAX_BATCH);
        List<OutboundFrame> batch = new ArrayList<>(n);
        int bytes = 0;
        while (batch.size() < n && (batch.isEmpty() || bytes + queue.peek().bytes() <= MAX_BATCH_BYTES)) {
            OutboundFrame frame = queue.poll();
            bytes += frame.bytes();
            batch.add(frame);
        }
        queuedBytes -= bytes;
        if (queue.isEmpty()) {
            // An idle session keeps no queue: a few dozen bytes, times every idle connection.
            queue = null;
        }
        return batch;
    }

    private void fail(Throwable cause) {
        synchronized (this) {
            active = false;
            if (closed) {
                return;
            }
            dropAll();
        }
        LOG.log(Level.FINE, "send failed: {0}", String.valueOf(cause));
        listener.failed(cause);
    }
}
