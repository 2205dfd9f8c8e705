package io.duplex.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's WebSocket subscriber of one channel (the JDK's client): counts pushes and notes each one's latency from
 * the {@code "sent"} nanoTime the publisher put in the message (so publisher and subscriber share a JVM). The bridge
 * benchmarks measure with it; waiting is on a monitor notified per push, so a wait ends when the last push arrives.
 */
public final class BenchSubscriber implements WebSocket.Listener, AutoCloseable {
    /** Pushes received so far. Guarded by this. */
    private int received;
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Connects to {@code ws} and subscribes to {@code channel}; returns once the node confirmed the subscription. */
    public static BenchSubscriber open(URI ws, String channel) throws Exception {
        BenchSubscriber s = new BenchSubscriber();
        s.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws, s).get(10, TimeUnit.SECONDS);
        s.socket.sendText("{\"id\":1,\"type\":\"connect\"}", true).get();
        s.socket.sendText("{\"id\":2,\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}", true).get();
        if (!s.subscribed.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not subscribed to " + channel);
        }
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            long now = System.nanoTime();
            int at = frame.indexOf("\"sent\":");
            if (at >= 0) {
                long sent = Long.parseLong(frame.substring(at + 7, frame.indexOf(',', at)));
                latencies.add(now - sent);
                arrived();
            } else if (frame.contains("\"subscribed\"")) {
                subscribed.countDown();
            }
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void arrived() {
        received++;
        notifyAll();
    }

    /** Waits until {@code count} pushes have arrived in all (5 minutes at most). */
    public synchronized void await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (received < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("only " + received + " of " + count + " messages arrived");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Forgets the latencies noted so far (after a warm-up or a throughput burst). */
    public void clearLatencies() {
        latencies.clear();
    }

    /** Every latency the subscribers noted, in nanoseconds, sorted. */
    public static long[] sortedLatencies(Collection<BenchSubscriber> subscribers) {
        List<Long> all = new ArrayList<>();
        for (BenchSubscriber s : subscribers) {
            all.addAll(s.latencies); // a synchronized list copies under its own lock
        }
        return all.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The {@code p}th percentile of {@code sorted} nanoseconds, in milliseconds. */
    public static double percentileMillis(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }
}
