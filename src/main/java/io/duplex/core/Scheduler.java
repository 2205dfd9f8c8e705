package io.duplex.core;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads Duplex owns: a timer for heartbeats and history sweeps, a small pool for container calls that may
 * block (pings, closes) so that they never hold up a publisher or the timer, and the delivery threads that write
 * what sessions' outboxes queued (one per core, at most {@value #MOST_DELIVERY_THREADS}). All are stopped when the
 * application stops, so an undeploy leaves no thread behind.
 */
@ApplicationScoped
public class Scheduler {
    private static final int BLOCKING_THREADS = 8;
    static final int MOST_DELIVERY_THREADS = 4;
    private static final long STOP_MILLIS = 3000;

    // Every thread these pools made: an executor reports itself terminated a moment before its last worker
    // thread has ended, and a servlet container that looks in that moment reports the thread as leaked.
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private ScheduledThreadPoolExecutor executor;
    private ThreadPoolExecutor blocking;
    private ThreadPoolExecutor delivery;
    private DeliveryLanes lanes;

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory timerThreads = task -> {
            Thread t = new Thread(task, "duplex-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            track(t);
            return t;
        };
        executor = new ScheduledThreadPoolExecutor(1, timerThreads);
        executor.setRemoveOnCancelPolicy(true);
        AtomicInteger m = new AtomicInteger();
        blocking = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, "duplex-io-" + m.incrementAndGet());
                    t.setDaemon(true);
                    track(t);
                    return t;
                });
        blocking.allowCoreThreadTimeOut(true);
        // Writes never block (the container's async send), so more threads than cores would only take turns.
        int deliveryThreads = Math.max(1, Math.min(MOST_DELIVERY_THREADS, Runtime.getRuntime().availableProcessors()));
        AtomicInteger d = new AtomicInteger();
        delivery = new ThreadPoolExecutor(deliveryThreads, deliveryThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, "duplex-delivery-" + d.incrementAndGet());
                    t.setDaemon(true);
                    track(t);
                    return t;
                });
        delivery.allowCoreThreadTimeOut(true);
        lanes = new DeliveryLanes(delivery, deliveryThreads);
    }

    private void track(Thread thread) {
        threads.removeIf(old -> !old.isAlive()); // idle io threads time out; keep only the living
        threads.add(thread);
    }

    /** The timer: tasks on it must not block. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** For container calls that may block: WebSocket pings and closes. */
    public Executor blocking() {
        return blocking;
    }

    /** Where a session's outbox is written: its lane of the delivery threads. Tasks on it must not block. */
    Executor delivery(String session) {
        return lanes.lane(session);
    }

    /** Runs a fan-out, waking the delivery threads once at its end rather than once per subscriber. */
    void deliverTogether(Runnable fanOut) {
        lanes.together(fanOut);
    }

    /**
     * Stops the pools and waits, within a bound, until each of their threads has ended. Closes still queued
     * (sessions closed with 1001 at shutdown) are let run; a container call stuck past the bound is interrupted.
     */
    @PreDestroy
    void stop() {
        executor.shutdownNow();
        // Frames still queued go nowhere: every session is closed by now.
        delivery.shutdownNow();
        blocking.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_MILLIS);
        try {
            if (!blocking.awaitTermination(STOP_MILLIS, TimeUnit.MILLISECONDS)) {
                blocking.shutdownNow();
            }
            for (Thread thread : threads) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                thread.join(Math.max(left, 1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
