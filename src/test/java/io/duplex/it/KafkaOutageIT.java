package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Closer;
import io.duplex.testing.Frames;
import io.duplex.testing.KafkaFixture;
import io.duplex.testing.RedisServer;
import io.duplex.testing.Rest;
import io.duplex.testing.Scrape;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka bridge when Kafka is not there, or not as configured: a node starts without Kafka and connects when it comes;
 * while Kafka is away a publish to an exported channel is refused (fail) or kept and delivered later (buffer); a
 * configuration that cannot work fails the start with one line saying why. A bridge that is down leaves the node ready,
 * unless {@code bridges.required} names it; either way /metrics says whether it is up and what it counted. Records that
 * the engine cannot take wait in Kafka, and the bridge's backlog counts them until they are published.
 */
class KafkaOutageIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @RegisterExtension
    final Closer open = new Closer();

    private TestServer node(String... more) {
        return open.keep(TestServer.start(KAFKA.bridgeSettings(more).toArray(String[]::new)));
    }

    private static JsonObject health(TestServer node) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("health")) {
            assertEquals(200, response.getStatus(), "a bridge that is down leaves the node up");
            return Frames.parse(response.readEntity(String.class));
        }
    }

    private static JsonObject kafka(TestServer node) {
        return health(node).getJsonArray("bridges").getJsonObject(0);
    }

    private static void awaitState(TestServer node, String state) {
        await("kafka bridge " + state).atMost(Duration.ofSeconds(30)).until(() -> kafka(node).getString("state").equals(state));
    }

    private KafkaProducer<String, String> producer() {
        return open.keep(KAFKA.producer());
    }

    private List<ConsumerRecord<String, String>> read(String topic, int count) {
        return KafkaFixture.read(open.keep(KAFKA.reader(topic)), count, Duration.ofSeconds(60));
    }

    @Test
    void aNodeStartsWhileKafkaIsDownAndConnectsWhenItComes() throws Exception {
        String in = KAFKA.topic("late.in", 1);
        String out = KAFKA.topic("late.out", 1);
        KAFKA.broker().stop();
        TestServer node = node("kafka.in.topics", in, "kafka.out.channels", "late:*", "kafka.out.topic", out,
                "kafka.connect.timeout", "1s");
        JsonObject down = kafka(node);
        assertEquals("down", down.getString("state"), down.toString());
        // The start's words ("did not answer") are replaced by the watch's ("does not answer") a second later.
        assertTrue(down.getString("detail").matches("the cluster at .* (did|does) not answer.*"), down.toString());

        KAFKA.broker().startAgain();
        awaitState(node, "up");
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe(in);
        producer().send(new ProducerRecord<>(in, "k", "\"hello\"")).get();
        assertEquals("\"hello\"", browser.awaitMessages(in, 1).get(0).get("data").toString());
        try (Rest rest = new Rest(node.api())) {
            rest.publish("late:1", "\"out\"");
        }
        assertEquals("late:1", read(out, 1).get(0).key());
    }

    @Test
    void aRequiredBridgeThatIsDownMakesTheNodeNotReadyAndTheMetricsSaySo() throws Exception {
        String in = KAFKA.topic("required.in", 1);
        TestServer node = node("kafka.in.topics", in, "bridges.required", "kafka", "management.port", "0");
        URI ready = node.management().resolve("api/health/ready");
        await("ready").atMost(Duration.ofSeconds(30)).until(() -> Scrape.fetch(ready, null).statusCode() == 200);
        assertTrue(Scrape.fetch(ready, null).body().contains("{\"name\":\"bridge:kafka\",\"status\":\"up\""),
                Scrape.fetch(ready, null).body());
        Scrape before = scrape(node);
        assertEquals(1, before.value("duplex_bridge_up", "bridge", "kafka"));
        for (int i = 0; i < 3; i++) {
            producer().send(new ProducerRecord<>(in, "k", Integer.toString(i))).get();
        }
        await("3 records in").atMost(Duration.ofSeconds(30)).until(() ->
                scrape(node).value("duplex_bridge_messages_total", "bridge", "kafka", "counter", "in") == 3);
        Scrape counted = scrape(node);
        assertEquals(3, counted.value("duplex_messages_published_total", "door", "kafka"), "published through the bridge's door");
        assertEquals(0, counted.value("duplex_bridge_messages_total", "bridge", "kafka", "counter", "skipped"));

        KAFKA.broker().stop();
        await("not ready").atMost(Duration.ofSeconds(30)).until(() -> Scrape.fetch(ready, null).statusCode() == 503);
        String notReady = Scrape.fetch(ready, null).body();
        assertTrue(notReady.contains("{\"name\":\"bridge:kafka\",\"status\":\"down\",\"detail\":\"down: "), notReady);
        assertTrue(notReady.contains("{\"name\":\"engine\",\"status\":\"up\""), "only the bridge is down: " + notReady);
        assertEquals(200, Scrape.fetch(node.management().resolve("api/health/live"), null).statusCode(), "alive all the same");
        try (Rest rest = new Rest(node.api()); Response health = rest.get("health")) {
            assertEquals(503, health.getStatus(), "/api/health answers as readiness does");
            JsonObject bridge = Frames.parse(health.readEntity(String.class)).getJsonArray("bridges").getJsonObject(0);
            assertTrue(bridge.isNull("backlog"), "a backlog of a cluster it cannot reach is not known: " + bridge);
        }
        Scrape down = scrape(node);
        assertEquals(0, down.value("duplex_bridge_up", "bridge", "kafka"));
        assertTrue(!down.has(BACKLOG) || Double.isNaN(down.value(BACKLOG, "bridge", "kafka")), "NaN, not a made-up 0");
        assertEquals(0, down.value("duplex_ready"));

        KAFKA.broker().startAgain();
        await("ready again").atMost(Duration.ofSeconds(60)).until(() -> Scrape.fetch(ready, null).statusCode() == 200);
        assertEquals(1, scrape(node).value("duplex_bridge_up", "bridge", "kafka"));
    }

    private static Scrape scrape(TestServer node) {
        return Scrape.get(node.management().resolve("metrics"), null);
    }

    private static final String BACKLOG = "duplex_bridge_backlog_messages";

    /** The bridge's backlog as Prometheus reads it; NaN while the node serves none (the consumer does not know it yet). */
    private static double backlog(TestServer node) {
        Scrape scrape = scrape(node);
        return scrape.has(BACKLOG) ? scrape.value(BACKLOG, "bridge", "kafka") : Double.NaN;
    }

    /** /api/health's bridges[0], whatever its status (503 while the engine is away). */
    private static JsonObject bridgeInHealth(TestServer node) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("health")) {
            return Frames.parse(response.readEntity(String.class)).getJsonArray("bridges").getJsonObject(0);
        }
    }

    /**
     * How far behind the bridge is: records that arrive while Redis is down cannot be published, wait in Kafka, and are
     * counted by duplex_bridge_backlog_messages and /api/health's bridges[].backlog (exactly those records: the consumer
     * starts again at the first one the engine did not take); once Redis is back they are published and the backlog is
     * 0 again.
     */
    @Test
    void theBacklogCountsTheRecordsThatWaitWhileTheEngineIsAwayAndFallsToZeroWhenTheyArePublished() throws Exception {
        RedisServer redis = open.keep(RedisServer.start());
        String in = KAFKA.topic("backlog.in", 1);
        TestServer node = node("engine", "redis", "redis.uri", redis.uri(), "kafka.in.topics", in, "management.port", "0");
        KafkaProducer<String, String> producer = producer();
        for (int i = 0; i < 2; i++) {
            producer.send(new ProducerRecord<>(in, "k", Integer.toString(i))).get();
        }
        await("2 records in, none waiting").atMost(Duration.ofSeconds(60)).until(() -> backlog(node) == 0
                && scrape(node).value("duplex_bridge_messages_total", "bridge", "kafka", "counter", "in") == 2);
        assertEquals(0, bridgeInHealth(node).getJsonNumber("backlog").longValue(), bridgeInHealth(node).toString());
        Scrape idle = scrape(node);
        assertServesTheBridgeMetricsTheDashboardAndAlertsAskFor(idle);
        assertEquals(List.of(), idle.lint("duplex_bridge_"), "promtool check metrics on the bridge's metrics");

        redis.stop();
        for (int i = 2; i < 9; i++) {
            producer.send(new ProducerRecord<>(in, "k", Integer.toString(i))).get();
        }
        await("7 records waiting in Kafka").atMost(Duration.ofSeconds(60)).until(() -> backlog(node) == 7);
        JsonObject waiting = bridgeInHealth(node);
        assertEquals("up", waiting.getString("state"), "Kafka is there; the engine is not: " + waiting);
        assertEquals(7, waiting.getJsonNumber("backlog").longValue(), waiting.toString());
        assertTrue(waiting.getString("detail").contains("waiting for the engine"), waiting.toString());
        assertEquals(2, scrape(node).value("duplex_bridge_messages_total", "bridge", "kafka", "counter", "in"), "none published");

        redis.startAgain();
        await("the backlog drained").atMost(Duration.ofSeconds(60)).until(() -> backlog(node) == 0);
        Scrape drained = scrape(node);
        assertEquals(9, drained.value("duplex_bridge_messages_total", "bridge", "kafka", "counter", "in"), "all published");
        assertEquals(0, bridgeInHealth(node).getJsonNumber("backlog").longValue());
        try (Rest rest = new Rest(node.api())) {
            assertEquals(7, Rest.body(rest.get("channels/" + in + "/messages?limit=100")).getJsonArray("messages").size(),
                    "the 7 that waited reached the channel (Redis came back empty, without the 2 before)");
        }
    }

    /** Each bridge metric the shipped dashboard and alert rules ask for is served (HealthIT checks the others). */
    private static void assertServesTheBridgeMetricsTheDashboardAndAlertsAskFor(Scrape scrape) throws Exception {
        Pattern metric = Pattern.compile("\\bduplex_bridge_[a-z0-9_]+");
        int found = 0;
        for (String file : List.of("grafana-dashboard.json", "alerts.yml")) {
            Matcher names = metric.matcher(Files.readString(Path.of("src/monitoring", file)));
            while (names.find()) {
                assertTrue(scrape.has(names.group()), file + " asks for " + names.group() + ", which the node does not serve");
                found++;
            }
        }
        assertTrue(found >= 3, found + " bridge metrics named");
    }

    @Test
    void withFailAPublishToAnExportedChannelWhileKafkaIsAwayIsRefusedBeforeAnySubscriberSeesIt() {
        String out = KAFKA.topic("fail.out", 1);
        TestServer node = node("kafka.out.channels", "orders:*", "kafka.out.topic", out, "kafka.out.unavailable", "fail");
        awaitState(node, "up");
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe("orders:1");

        KAFKA.broker().stop();
        awaitState(node, "down");
        JsonObject refused = browser.request("{\"type\":\"publish\",\"channel\":\"orders:1\",\"data\":1}");
        assertEquals("error", refused.getString("type"), refused.toString());
        assertEquals("engine_unavailable", refused.getString("code"));
        try (Rest rest = new Rest(node.api())) {
            try (Response response = rest.post("channels/orders:1/messages", "{\"data\":2}")) {
                assertEquals(503, response.getStatus());
                assertTrue(response.readEntity(String.class).contains("Kafka is unreachable"));
            }
            rest.publish("news", "\"channels that are not exported are not held up\"");
            assertEquals(0, Rest.body(rest.get("channels/orders:1/messages")).getJsonArray("messages").size());
        }
        assertTrue(browser.messages("orders:1").isEmpty());
        assertEquals(2, kafka(node).getJsonObject("counters").getInt("refused"));
    }

    @Test
    void withBufferWhatIsPublishedWhileKafkaIsAwayReachesItWhenItIsBack() {
        String out = KAFKA.topic("buffer.out", 1);
        TestServer node = node("kafka.out.channels", "orders:*", "kafka.out.topic", out, "kafka.out.unavailable", "buffer");
        awaitState(node, "up");
        try (Rest rest = new Rest(node.api())) {
            rest.publish("orders:1", "0"); // the producer knows the topic before Kafka goes away
            KAFKA.broker().stop();
            awaitState(node, "down");
            for (int i = 1; i <= 5; i++) {
                rest.publish("orders:1", Integer.toString(i));
            }
        }
        KAFKA.broker().startAgain();
        List<ConsumerRecord<String, String>> records = read(out, 6);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), records.stream()
                .map(r -> Frames.parse(r.value()).getJsonNumber("data").longValue()).toList(), "all, once, in order");
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka(node).getJsonObject("counters").getInt("out") == 6);
        assertEquals(0, kafka(node).getJsonObject("counters").getInt("dropped"));
    }

    @Test
    void anUnknownTopicFailsTheStartWithOneLineNamingIt(@TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        List<String> settings = KAFKA.bridgeSettings("kafka.in.topics", "no-such-topic");
        for (int i = 0; i < settings.size(); i += 2) {
            args.add("--" + settings.get(i).replace('.', '-'));
            args.add(settings.get(i + 1));
        }
        try (WarProcess war = WarProcess.start(tmp, args.toArray(String[]::new))) {
            assertEquals(1, war.awaitExit(), String.join("\n", war.output()));
            String line = "duplex: could not start: kafka: topic no-such-topic (kafka.in.topics) does not exist in the "
                    + "cluster at " + KAFKA.broker().bootstrapServers() + "; create it, or correct kafka.in.topics";
            assertTrue(war.output().contains(line), String.join("\n", war.output()));
            assertTrue(war.output().stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + String.join("\n", war.output()));
        }
    }

    @Test
    void aBootstrapHostThatDoesNotResolveFailsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start("bridges", "kafka",
                "kafka.bootstrap.servers", "no-such-host.invalid:9092", "kafka.in.topics", "t"));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("kafka.bootstrap.servers=no-such-host.invalid:9092"), message);
    }

    @Test
    void onTheMemoryEngineANodeRefusesAGroupThatAnotherNodeConsumes() {
        String in = KAFKA.topic("memory.in", 1);
        List<String> shared = KAFKA.bridgeSettings("kafka.in.topics", in);
        TestServer first = open.keep(TestServer.start(shared.toArray(String[]::new)));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka(first).getString("detail").contains("consuming 1 partition"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open.keep(TestServer.start(shared.toArray(String[]::new))));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("already has 1 member") && message.contains("engine=memory"), message);
    }
}
