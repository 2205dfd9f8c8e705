package io.duplex.core;

import io.duplex.error.DisconnectReason;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.function.Consumer;

/** A connection that records what is sent; completes sends at once or when the test says so. */
final class FakeConnection implements Connection {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final Queue<Consumer<Throwable>> pending = new ArrayDeque<>();
    final boolean completeAtOnce;
    int outstanding;
    int mostOutstanding;
    DisconnectReason closedWith;

    FakeConnection(boolean completeAtOnce) {
        this.completeAtOnce = completeAtOnce;
    }

    /** The size of each write: how many frames it carried. */
    final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public synchronized void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        frames.forEach(f -> sent.add(f.text()));
        writes.add(frames.size());
        outstanding++;
        mostOutstanding = Math.max(mostOutstanding, outstanding);
        if (completeAtOnce) {
            outstanding--;
            done.accept(null);
        } else {
            pending.add(done);
        }
    }

    /** Whether a write is waiting for {@link #complete}. */
    synchronized boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Completes the oldest outstanding send. */
    void complete(Throwable failure) {
        Consumer<Throwable> done;
        synchronized (this) {
            done = pending.remove();
            outstanding--;
        }
        done.accept(failure);
    }

    @Override
    public void ping() {
    }

    @Override
    public void close(DisconnectReason reason) {
        closedWith = reason;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1:1";
    }
}
