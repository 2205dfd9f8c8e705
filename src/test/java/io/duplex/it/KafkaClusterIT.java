package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Closer;
import io.duplex.testing.Frames;
import io.duplex.testing.KafkaFixture;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Duplex nodes on the Redis engine sharing one consumer group: 10,000 records over six partitions and 100 keys
 * (one channel per key) reach the subscribers of both nodes once each, in the order of their key; the same when a node
 * is killed with SIGKILL mid-stream (the other takes its partitions, and redelivered records are recognised by their
 * topic/partition/offset), and when the broker is stopped and started mid-stream. Records that arrive while Redis is
 * away wait in Kafka, and are published, in order, when it is back.
 */
class KafkaClusterIT {
    private static final int KEYS = 100;
    private static final int PER_KEY = 100;
    private static final int RECORDS = KEYS * PER_KEY;
    private static final int PARTITIONS = 6;

    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();

    @TempDir
    Path tmp;

    @RegisterExtension
    final Closer open = new Closer();
    private String topic;
    private String group;

    private void newTopic() {
        topic = KAFKA.topic("stream", PARTITIONS);
        group = "duplex-" + UUID.randomUUID();
    }

    /** A node's settings: the Redis engine, the shared group, a channel per key, and room for a burst in each session. */
    private List<String> settings() {
        return List.of("engine", "redis", "redis.uri", REDIS.server().uri(), "bridges", "kafka",
                "kafka.bootstrap.servers", KAFKA.broker().bootstrapServers(), "kafka.group.id", group, "kafka.in.topics", topic,
                "kafka.in.channels", topic + "=key.{key}", "kafka.in.from", "earliest", "kafka.session.timeout", "3s",
                "outbound.queue.messages", "50000", "outbound.queue.bytes", "64MiB", "history.size", "1000");
    }

    private TestServer node() {
        return open.keep(TestServer.start(settings().toArray(String[]::new)));
    }

    private WarProcess process() throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        List<String> settings = settings();
        for (int i = 0; i < settings.size(); i += 2) {
            args.add("--" + settings.get(i).replace('.', '-'));
            args.add(settings.get(i + 1));
        }
        return open.keep(WarProcess.start(tmp.resolve("node-" + UUID.randomUUID()), args.toArray(String[]::new)));
    }

    /** A WebSocket client subscribed to every key's channel. */
    private WsClient subscriber(URI ws) {
        WsClient client = open.keep(WsClient.connect(ws));
        for (int k = 0; k < KEYS; k++) {
            client.subscribe("key.k" + k);
        }
        return client;
    }

    private static int partitions(URI api) {
        try (Rest rest = new Rest(api); Response response = rest.get("health")) {
            String detail = Frames.parse(response.readEntity(String.class)).getJsonArray("bridges").getJsonObject(0).getString("detail");
            int at = detail.indexOf("consuming ");
            return at < 0 ? 0 : Integer.parseInt(detail.substring(at + 10, detail.indexOf(' ', at + 10)));
        }
    }

    /** Waits until the nodes share the partitions between them, each with some. */
    private static void awaitGroupOf(URI... apis) {
        await("both nodes consuming").atMost(Duration.ofSeconds(60)).until(() -> {
            int total = 0;
            for (URI api : apis) {
                int own = partitions(api);
                if (own == 0) {
                    return false;
                }
                total += own;
            }
            return total == PARTITIONS;
        });
    }

    private KafkaProducer<String, String> producer() {
        return open.keep(KAFKA.producer(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000, ProducerConfig.LINGER_MS_CONFIG, 5));
    }

    /** Sends every record, key by key in turn, in the background; the future ends when Kafka acknowledged all of them. */
    private CompletableFuture<Void> produceAll() {
        KafkaProducer<String, String> producer = producer();
        return CompletableFuture.runAsync(() -> {
            for (int seq = 0; seq < PER_KEY; seq++) {
                for (int k = 0; k < KEYS; k++) {
                    producer.send(new ProducerRecord<>(topic, "k" + k, "{\"key\":\"k" + k + "\",\"seq\":" + seq + "}"));
                }
            }
            producer.flush();
        });
    }

    /** Each key's sequence numbers as the subscriber received them: 0 … 99 once each, in order, when all is well. */
    private static Map<String, List<Integer>> received(WsClient client) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (JsonObject frame : client.frames()) {
            if ("message".equals(frame.getString("type", ""))) {
                JsonObject data = frame.getJsonObject("data");
                byKey.computeIfAbsent(data.getString("key"), k -> new ArrayList<>()).add(data.getInt("seq"));
            }
        }
        return byKey;
    }

    private static int count(WsClient client) {
        return (int) client.frames().stream().filter(f -> "message".equals(f.getString("type", ""))).count();
    }

    private static void assertEveryRecordOnceInKeyOrder(String who, WsClient client) {
        await(who + " has " + RECORDS + " messages").atMost(Duration.ofSeconds(120)).until(() -> count(client) >= RECORDS);
        Map<String, List<Integer>> byKey = received(client);
        List<Integer> expected = IntStream.range(0, PER_KEY).boxed().toList();
        assertEquals(KEYS, byKey.size(), who);
        byKey.forEach((key, seqs) -> assertEquals(expected, seqs, who + ", key " + key));
        assertEquals(RECORDS, count(client), who + ": nothing twice");
    }

    @Test
    void tenThousandRecordsReachTheSubscribersOfBothNodesOnceEachInKeyOrder() {
        newTopic();
        TestServer a = node();
        TestServer b = node();
        WsClient onA = subscriber(a.ws());
        WsClient onB = subscriber(b.ws());
        awaitGroupOf(a.api(), b.api());

        produceAll().join();

        assertEveryRecordOnceInKeyOrder("the subscriber of node A", onA);
        assertEveryRecordOnceInKeyOrder("the subscriber of node B", onB);
    }

    @Test
    void aNodeKilledMidStreamLosesNothingAndDoublesNothing() throws Exception {
        newTopic();
        WarProcess doomed = process();
        URI doomedApi = doomed.awaitListening().resolve("api/");
        TestServer survivor = node();
        WsClient watcher = subscriber(survivor.ws());
        awaitGroupOf(doomedApi, survivor.api());

        CompletableFuture<Void> producing = produceAll();
        await("a third of the stream").atMost(Duration.ofSeconds(120)).until(() -> count(watcher) >= RECORDS / 3);
        doomed.process().destroyForcibly(); // SIGKILL: no commit, no leaving the group
        doomed.process().waitFor();
        producing.join();

        assertEveryRecordOnceInKeyOrder("the subscriber of the surviving node", watcher);
        await().atMost(Duration.ofSeconds(30)).until(() -> partitions(survivor.api()) == PARTITIONS);
    }

    @Test
    void recordsThatArriveWhileTheEngineIsAwayWaitAndAreAllPublishedInOrderWhenItIsBack() {
        newTopic();
        TestServer node = node();
        awaitGroupOf(node.api());
        KafkaProducer<String, String> producer = producer();
        for (int seq = 0; seq < 10; seq++) {
            producer.send(new ProducerRecord<>(topic, "k1", "{\"key\":\"k1\",\"seq\":" + seq + "}"));
        }
        producer.flush();
        try (Rest rest = new Rest(node.api())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> seqs(rest, "key.k1").size() == 10);

            REDIS.server().restartKeepingData(() -> {
                for (int seq = 10; seq < 20; seq++) {
                    producer.send(new ProducerRecord<>(topic, "k1", "{\"key\":\"k1\",\"seq\":" + seq + "}"));
                }
                producer.flush();
                await("the bridge waiting for the engine").atMost(Duration.ofSeconds(60))
                        .until(() -> detail(node.api()).contains("waiting for the engine"));
            });

            await().atMost(Duration.ofSeconds(60)).until(() -> seqs(rest, "key.k1").size() >= 20);
            assertEquals(IntStream.range(0, 20).boxed().toList(), seqs(rest, "key.k1"), "every record once, in order");
        }
    }

    private static List<Integer> seqs(Rest rest, String channel) {
        try (Response response = rest.get("channels/" + channel + "/messages?limit=1000")) {
            if (response.getStatus() != 200) {
                return List.of();
            }
            List<Integer> seqs = new ArrayList<>();
            Frames.parse(response.readEntity(String.class)).getJsonArray("messages")
                    .forEach(m -> seqs.add(m.asJsonObject().getJsonObject("data").getInt("seq")));
            return seqs;
        }
    }

    private static String detail(URI api) {
        try (Rest rest = new Rest(api); Response response = rest.get("health")) {
            return Frames.parse(response.readEntity(String.class)).getJsonArray("bridges").getJsonObject(0).getString("detail");
        }
    }

    @Test
    void theBrokerStoppedAndStartedMidStreamLosesNothingAndDoublesNothing() {
        newTopic();
        TestServer a = node();
        TestServer b = node();
        WsClient onA = subscriber(a.ws());
        WsClient onB = subscriber(b.ws());
        awaitGroupOf(a.api(), b.api());

        CompletableFuture<Void> producing = produceAll();
        await("a third of the stream").atMost(Duration.ofSeconds(120)).until(() -> count(onA) >= RECORDS / 3);
        KAFKA.broker().stop();
        KAFKA.broker().startAgain();
        producing.join();

        assertEveryRecordOnceInKeyOrder("the subscriber of node A", onA);
        assertEveryRecordOnceInKeyOrder("the subscriber of node B", onB);
        assertTrue(onA.isOpen() && onB.isOpen());
    }
}
