package io.duplex.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.channel.ChannelName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The hub tells the engine which channels this node wants, in the order decided, and never under its own lock. */
class HubTest {
    private static final ChannelName NEWS = ChannelName.of("news");
    private final Hub hub = new Hub();

    private static Subscription subscription(String id) {
        ClientSession session = new ClientSession(id, new FakeConnection(true), Instant.EPOCH, 100, 100_000, 100,
                (s, reason) -> { }, Runnable::run);
        return new Subscription(session, NEWS, null, 100);
    }

    @Test
    void theEngineIsToldOutsideTheHubsLock() {
        Subscription first = subscription("a");
        List<Boolean> calls = Collections.synchronizedList(new ArrayList<>());
        hub.addSubscription(first, (channel, wanted) -> {
            calls.add(wanted);
            if (wanted) {
                try {
                    // Another thread leaves the channel while the engine is being told: it must not wait for the call.
                    CompletableFuture.runAsync(() -> hub.removeSubscription(first, (c, w) -> calls.add(w))).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the hub held a lock while it called the engine", e);
                }
            }
        });
        assertEquals(List.of(true, false), calls, "the engine was told on, then off, in the order decided");
        assertEquals(0, hub.subscriberCount(NEWS));
        assertEquals(List.of(), List.copyOf(hub.channels()));
    }

    @Test
    void racingSubscribersAndLeaversReachTheEngineInOrder() throws Exception {
        AtomicBoolean engineOn = new AtomicBoolean();
        List<Boolean> calls = Collections.synchronizedList(new ArrayList<>());
        Hub.EngineSwitch engine = (channel, wanted) -> {
            calls.add(wanted);
            engineOn.set(wanted);
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String id = "s" + t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Subscription s = subscription(id);
                        hub.addSubscription(s, engine);
                        assertTrue(engineOn.get(), "on return from addSubscription the engine delivers the channel");
                        hub.removeSubscription(s, engine);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(false, engineOn.get(), "nobody is subscribed: the engine was told to stop");
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i % 2 == 0, calls.get(i), "on and off alternate: " + calls.subList(Math.max(0, i - 3), i + 1));
        }
        assertEquals(0, hub.subscriberCount(NEWS));
    }
}
