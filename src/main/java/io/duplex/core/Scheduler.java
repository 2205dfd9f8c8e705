package io.duplex.core;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few threads Duplex owns: a timer for heartbeats and history sweeps, and a small pool for container
 * calls that may block (pings, closes) so that they never hold up a publisher or the timer. All are stopped
 * when the application stops, so an undeploy leaves no thread behind.
 */
@ApplicationScoped
public class Scheduler {
    private static final int BLOCKING_THREADS = 8;

    private ScheduledThreadPoolExecutor executor;
    private ThreadPoolExecutor blocking;

    @PostConstruct
    void start() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread t = new Thread(task, "duplex-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        executor = new ScheduledThreadPoolExecutor(1, threads);
        executor.setRemoveOnCancelPolicy(true);
        AtomicInteger m = new AtomicInteger();
        blocking = new ThreadPoolExecutor(BLOCKING_THREADS, BLOCKING_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, "duplex-io-" + m.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        blocking.allowCoreThreadTimeOut(true);
    }

    /** The timer: tasks on it must not block. */
    public ScheduledExecutorService executor() {
        return executor;
    }

    /** For container calls that may block: WebSocket pings and closes. */
    public Executor blocking() {
        return blocking;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        blocking.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
            blocking.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
