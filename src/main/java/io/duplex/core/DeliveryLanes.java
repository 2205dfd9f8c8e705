package io.duplex.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The work of the delivery threads: one lane per thread, each a queue of outboxes to write, run by one thread at a
 * time; a session always writes through the same lane. Waking a sleeping thread costs a system call and, on a busy
 * core, a switch to it and back: a fan-out therefore hands its outboxes over {@link #together}, and each lane it
 * touched is woken once, at its end, rather than once per subscriber.
 */
final class DeliveryLanes {
    private static final ThreadLocal<boolean[]> HELD = new ThreadLocal<>();

    private final Lane[] lanes;
    private final Executor threads;

    DeliveryLanes(Executor threads, int count) {
        this.threads = threads;
        this.lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane(i);
        }
    }

    /** The lane of a session: an executor for its outbox's writes. */
    Executor lane(String session) {
        return lanes[Math.floorMod(session.hashCode(), lanes.length)];
    }

    /** Runs a fan-out; the lanes it gave work to are woken when it ends. */
    void together(Runnable fanOut) {
        if (HELD.get() != null) {
            fanOut.run(); // already inside one
            return;
        }
        boolean[] touched = new boolean[lanes.length];
        HELD.set(touched);
        try {
            fanOut.run();
        } finally {
            HELD.remove();
            for (int i = 0; i < touched.length; i++) {
                if (touched[i]) {
                    lanes[i].wake();
                }
            }
        }
    }

    /** One delivery thread's queue. */
    private final class Lane implements Executor, Runnable {
        private final int index;
        private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        Lane(int index) {
            this.index = index;
        }

        @Override
        public void execute(Runnable task) {
            work.add(task);
            boolean[] held = HELD.get();
            if (held != null) {
                held[index] = true;
            } else {
                wake();
            }
        }

        void wake() {
            if (!running.get() && running.compareAndSet(false, true)) {
                try {
                    threads.execute(this);
                } catch (RejectedExecutionException e) {
                    // The application is stopping: its sessions are being closed.
                    running.set(false);
                    work.clear();
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                Runnable task;
                while ((task = work.poll()) != null) {
                    task.run();
                }
                running.set(false);
                // Work added after the poll found none, by a caller that saw this lane running: take it.
                if (work.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
