package io.duplex.bridge.kafka;

import static io.duplex.testing.BenchSubscriber.percentileMillis;

import io.duplex.testing.BenchSubscriber;
import io.duplex.testing.KafkaBroker;
import io.duplex.testing.RedisServer;
import io.duplex.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Figures of the Kafka bridge on this machine, printed, never asserted: records per second from a Kafka topic to
 * WebSocket subscribers (a burst produced at once, timed until every subscriber has every record), and the latency from
 * a producer's send to a subscriber's receipt at a steady rate (p50, p99). One node on the memory engine, then one on
 * the Redis engine; a real broker and redis-server started on free ports; the subscribers are the JDK's WebSocket client.
 *
 * <pre>mvn -q -DskipTests package &amp;&amp; mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.duplex.bridge.kafka.KafkaBridgeBenchmark</pre>
 */
public final class KafkaBridgeBenchmark {
    private static final int PARTITIONS = 6;
    private static final int SUBSCRIBERS = 4;
    private static final int BURST = 20_000;
    private static final int LATENCY_SAMPLES = 3_000;
    private static final int LATENCY_RATE = 500; // records per second
    private static final String PADDING = "x".repeat(60); // about 100-byte values

    private KafkaBridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("duplex.kafka.lib", System.getProperty("duplex.kafka.lib", "target/kafka-broker/lib"));
        try (KafkaBroker kafka = KafkaBroker.start(); RedisServer redis = RedisServer.start()) {
            System.out.printf(Locale.ROOT, "Kafka bridge: %d-partition topic → 1 node → %d WebSocket subscribers, ~100-byte "
                    + "records, broker, redis-server and node on this machine, %d cores%n", PARTITIONS, SUBSCRIBERS,
                    Runtime.getRuntime().availableProcessors());
            run(kafka, "memory engine", List.of());
            run(kafka, "Redis engine", List.of("engine", "redis", "redis.uri", redis.uri()));
        }
    }

    private static void run(KafkaBroker kafka, String engine, List<String> engineSettings) throws Exception {
        String topic = "bench-" + System.nanoTime();
        kafka.createTopic(topic, PARTITIONS);
        List<String> settings = new ArrayList<>(List.of("bridges", "kafka", "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "kafka.group.id", topic, "kafka.in.topics", topic, "kafka.in.channels", "*=bench", "kafka.in.from", "earliest",
                "outbound.queue.messages", "100000", "outbound.queue.bytes", "256MiB"));
        settings.addAll(engineSettings);
        try (TestServer node = TestServer.start(settings.toArray(String[]::new));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new StringSerializer())) {
            List<BenchSubscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                subscribers.add(BenchSubscriber.open(node.ws(), "bench"));
            }
            // Warm-up, which also waits for the group to have its partitions.
            send(producer, topic, 2_000, 0);
            for (BenchSubscriber s : subscribers) {
                s.await(2_000);
            }

            long start = System.nanoTime();
            send(producer, topic, BURST, 0);
            for (BenchSubscriber s : subscribers) {
                s.await(2_000 + BURST);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %,d records in %.2f s: %,.0f records/s from Kafka, %,.0f deliveries/s to "
                    + "subscribers%n", engine, BURST, seconds, BURST / seconds, BURST * SUBSCRIBERS / seconds);

            for (BenchSubscriber s : subscribers) {
                s.clearLatencies();
            }
            send(producer, topic, LATENCY_SAMPLES, LATENCY_RATE);
            for (BenchSubscriber s : subscribers) {
                s.await(2_000 + BURST + LATENCY_SAMPLES);
            }
            long[] all = BenchSubscriber.sortedLatencies(subscribers);
            System.out.printf(Locale.ROOT, "%s: produce → WebSocket subscriber at %d records/s: p50 %.1f ms, p99 %.1f ms, "
                    + "max %.1f ms (%,d samples)%n", engine, LATENCY_RATE, percentileMillis(all, 50), percentileMillis(all, 99),
                    all[all.length - 1] / 1e6, all.length);
            subscribers.forEach(BenchSubscriber::close);
        }
    }

    /** Sends {@code count} records, spread over keys; at {@code rate} per second, or all at once when 0. */
    private static void send(KafkaProducer<String, String> producer, String topic, int count, int rate) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + TimeUnit.SECONDS.toNanos(i) / rate;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            producer.send(new ProducerRecord<>(topic, "k" + (i % 64), "{\"sent\":" + System.nanoTime() + ",\"pad\":\"" + PADDING + "\"}"));
        }
        producer.flush();
    }
}
