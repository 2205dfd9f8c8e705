package io.duplex.bridge.mqtt;

import static io.duplex.testing.BenchSubscriber.percentileMillis;

import io.duplex.testing.BenchSubscriber;
import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.RedisServer;
import io.duplex.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Figures of the MQTT bridge on this machine, printed, never asserted: messages per second from MQTT to WebSocket
 * subscribers (a burst published at QoS 1, timed until every subscriber has every message), and the latency from a
 * device's publish to a subscriber's receipt at a steady rate (p50, p99). One node on the memory engine, then one on the
 * Redis engine; a real mosquitto and redis-server started on free ports; the device is an Eclipse Paho client in this
 * JVM (so that its send time and the subscriber's receipt share one clock), the subscribers the JDK's WebSocket client.
 *
 * <pre>mvn -q -DskipTests package &amp;&amp; mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.duplex.bridge.mqtt.MqttBridgeBenchmark</pre>
 */
public final class MqttBridgeBenchmark {
    private static final int SUBSCRIBERS = 4;
    private static final int BURST = 20_000;
    private static final int LATENCY_SAMPLES = 3_000;
    private static final int LATENCY_RATE = 500; // messages per second
    private static final String PADDING = "x".repeat(60); // about 100-byte payloads
    private static final int IN_FLIGHT = 16;

    private MqttBridgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(); RedisServer redis = RedisServer.start()) {
            System.out.printf(Locale.ROOT, "MQTT bridge: a device publishing at QoS 1 → mosquitto → 1 node → %d WebSocket "
                    + "subscribers, ~100-byte payloads, broker, redis-server and node on this machine, %d cores%n",
                    SUBSCRIBERS, Runtime.getRuntime().availableProcessors());
            run(broker, "memory engine", List.of());
            run(broker, "Redis engine", List.of("engine", "redis", "redis.uri", redis.uri()));
        }
    }

    private static void run(MosquittoBroker broker, String engine, List<String> engineSettings) throws Exception {
        String root = "bench" + System.nanoTime();
        List<String> settings = new ArrayList<>(List.of("bridges", "mqtt", "mqtt.uri", broker.uri(), "mqtt.client.id",
                root, "mqtt.in.filters", root + "/#", "mqtt.in.channels", "*=bench", "outbound.queue.messages", "100000",
                "outbound.queue.bytes", "256MiB"));
        settings.addAll(engineSettings);
        MqttAsyncClient device = new MqttAsyncClient(broker.uri().replace("mqtt://", "tcp://"), root + "-device",
                new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setReceiveMaximum(1000);
        device.connect(options).waitForCompletion(10_000);
        try (TestServer node = TestServer.start(settings.toArray(String[]::new))) {
            List<BenchSubscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                subscribers.add(BenchSubscriber.open(node.ws(), "bench"));
            }
            send(device, root, 2_000, 0); // warm-up
            for (BenchSubscriber s : subscribers) {
                s.await(2_000);
            }

            long start = System.nanoTime();
            send(device, root, BURST, 0);
            for (BenchSubscriber s : subscribers) {
                s.await(2_000 + BURST);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %,d messages in %.2f s: %,.0f messages/s from MQTT, %,.0f deliveries/s to "
                    + "subscribers%n", engine, BURST, seconds, BURST / seconds, BURST * SUBSCRIBERS / seconds);

            for (BenchSubscriber s : subscribers) {
                s.clearLatencies();
            }
            send(device, root, LATENCY_SAMPLES, LATENCY_RATE);
            for (BenchSubscriber s : subscribers) {
                s.await(2_000 + BURST + LATENCY_SAMPLES);
            }
            long[] all = BenchSubscriber.sortedLatencies(subscribers);
            System.out.printf(Locale.ROOT, "%s: device publish → WebSocket subscriber at %d messages/s: p50 %.1f ms, p99 %.1f "
                    + "ms, max %.1f ms (%,d samples)%n", engine, LATENCY_RATE, percentileMillis(all, 50), percentileMillis(all, 99),
                    all[all.length - 1] / 1e6, all.length);
            subscribers.forEach(BenchSubscriber::close);
        } finally {
            device.disconnect().waitForCompletion(5_000);
            device.close();
        }
    }

    /**
     * Publishes {@code count} messages at QoS 1, keeping at most {@link #IN_FLIGHT} unacknowledged (below the receive
     * maximum Mosquitto announces, 20: past it Paho refuses a publish with "too many publishes in progress"); at
     * {@code rate} per second, or as fast as the broker takes them when 0.
     */
    private static void send(MqttAsyncClient device, String root, int count, int rate) throws Exception {
        long start = System.nanoTime();
        ArrayDeque<IMqttToken> pending = new ArrayDeque<>();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                long due = start + TimeUnit.SECONDS.toNanos(i) / rate;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            byte[] payload = ("{\"sent\":" + System.nanoTime() + ",\"pad\":\"" + PADDING + "\"}").getBytes(StandardCharsets.UTF_8);
            if (pending.size() >= IN_FLIGHT) {
                pending.poll().waitForCompletion(30_000);
            }
            MqttMessage message = new MqttMessage(payload, 1, false, null);
            while (true) {
                try {
                    pending.add(device.publish(root + "/d" + (i % 64), message));
                    break;
                } catch (MqttException e) {
                    // Paho counts a publish in flight until its own thread has handled the PUBACK, a moment after the
                    // token completed: so it may still refuse one below IN_FLIGHT. Wait for the oldest and try again.
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    IMqttToken oldest = pending.poll();
                    if (oldest != null) {
                        oldest.waitForCompletion(30_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }
        }
        for (IMqttToken token : pending) {
            token.waitForCompletion(30_000);
        }
    }
}
