package io.duplex.broker.redis;

import io.duplex.broker.Publishing;
import io.duplex.broker.HistoryQuery;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import io.duplex.testing.RedisServer;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Figures of the Redis engine on this machine, printed, never asserted: publish latency and throughput, delivery
 * latency from a publish on one node to the listener of another, and history reads on a long stream. Starts its own
 * redis-server on a free port.
 *
 * <pre>mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.duplex.broker.redis.RedisEngineBenchmark</pre>
 */
public final class RedisEngineBenchmark {
    private static final Payload DATA = Payload.of(Json.createObjectBuilder()
            .add("text", "x".repeat(80)).add("n", 1).build()); // about 100 bytes as JSON
    private static final int WARM_UP = 5_000;
    private static final int SAMPLES = 20_000;
    private static final int THREADS = 8;
    private static final int LONG_STREAM = 100_000;

    private RedisEngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisServer redis = RedisServer.start(); RedisNodes nodes = new RedisNodes(redis, Clock.systemUTC())) {
            RedisBroker a = nodes.broker(1000, Duration.ofMinutes(10));
            RedisBroker b = nodes.broker(LONG_STREAM, Duration.ofHours(1));
            System.out.printf(Locale.ROOT, "Redis engine, %d-byte messages, redis-server on this machine, %d cores%n",
                    DATA.bytes(), Runtime.getRuntime().availableProcessors());

            ChannelName warm = ChannelName.of("bench.warm");
            for (int i = 0; i < WARM_UP; i++) {
                Publishing.publish(a, warm, DATA);
            }

            long[] publish = new long[SAMPLES];
            ChannelName one = ChannelName.of("bench.one");
            long started = System.nanoTime();
            for (int i = 0; i < SAMPLES; i++) {
                long t = System.nanoTime();
                Publishing.publish(a, one, DATA);
                publish[i] = System.nanoTime() - t;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            print("publish, 1 thread", publish, SAMPLES / seconds);

            System.out.printf(Locale.ROOT, "publish, %d threads: %,.0f/s%n", THREADS, concurrentPublishes(a));

            System.out.println(delivery(a, b));

            ChannelName longChannel = ChannelName.of("bench.long");
            for (int i = 0; i < LONG_STREAM; i++) {
                Publishing.publish(b, longChannel, DATA);
            }
            long[] reads = new long[2_000];
            for (int i = 0; i < reads.length; i++) {
                long since = ThreadLocalRandom.current().nextLong(LONG_STREAM - 100);
                long t = System.nanoTime();
                b.history(longChannel, HistoryQuery.after(since, 100));
                reads[i] = System.nanoTime() - t;
            }
            print("history, 100 messages after a random offset of " + LONG_STREAM, reads, 0);
            long[] positions = new long[5_000];
            for (int i = 0; i < positions.length; i++) {
                long t = System.nanoTime();
                b.position(longChannel);
                positions[i] = System.nanoTime() - t;
            }
            print("position of a channel", positions, 0);
        }
    }

    private static double concurrentPublishes(RedisBroker broker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            int each = SAMPLES / THREADS;
            long started = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                ChannelName channel = ChannelName.of("bench.many." + t);
                running.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        Publishing.publish(broker, channel, DATA);
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return each * THREADS / ((System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** From the publish on node A returning to node B's listener: what Redis pub/sub adds to a cross-node push. */
    private static String delivery(RedisBroker a, RedisBroker b) throws InterruptedException {
        ChannelName channel = ChannelName.of("bench.delivery");
        int count = 5_000;
        ConcurrentHashMap<Long, Long> sentAt = new ConcurrentHashMap<>();
        long[] latency = new long[count];
        CountDownLatch all = new CountDownLatch(count);
        b.start(message -> {
            Long sent = sentAt.get(message.offset());
            if (sent != null && all.getCount() > 0) {
                latency[(int) (count - all.getCount())] = System.nanoTime() - sent;
                all.countDown();
            }
        });
        b.subscribe(channel);
        b.position(channel); // waits until Redis confirmed the subscription
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            // The offset is known only once the publish returns; the listener may run first, so record before.
            long expected = i + 1;
            sentAt.put(expected, t);
            ChannelMessage published = Publishing.publish(a, channel, DATA);
            if (published.offset() != expected) {
                throw new IllegalStateException("offset " + published.offset() + ", expected " + expected);
            }
        }
        if (!all.await(30, TimeUnit.SECONDS)) {
            return "delivery: not every message arrived within 30 s";
        }
        return format("delivery, publish on node A to node B's listener", latency, 0);
    }

    private static void print(String what, long[] nanos, double perSecond) {
        System.out.println(format(what, nanos, perSecond));
    }

    private static String format(String what, long[] nanos, double perSecond) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%s: p50 %.0f µs, p99 %.0f µs, max %.1f ms%s", what,
                sorted[sorted.length / 2] / 1e3, sorted[(int) (sorted.length * 0.99)] / 1e3, sorted[sorted.length - 1] / 1e6,
                perSecond > 0 ? String.format(Locale.ROOT, " (%,.0f/s)", perSecond) : "");
    }
}
