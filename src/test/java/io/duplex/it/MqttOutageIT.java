package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.Rest;
import io.duplex.testing.Scrape;
import io.duplex.testing.TestCertificate;
import io.duplex.testing.TestServer;
import io.duplex.testing.WarProcess;
import io.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT bridge when things go away: the broker restarted while devices publish at QoS 1 (every message reaches the
 * subscribers, once, in order), the node restarted (what devices sent meanwhile is queued by the broker in the node's
 * session and published when it is back), the broker absent at start, and the broker's own doors: a password (right,
 * wrong, never logged) and TLS.
 */
class MqttOutageIT {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String root = "t" + UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        open.add(closeable);
        return closeable;
    }

    private TestServer node(MosquittoBroker broker, String... settings) {
        List<String> all = new ArrayList<>(List.of("bridges", "mqtt", "mqtt.uri", broker.uri(), "mqtt.client.id",
                "duplex-" + root, "mqtt.in.group", root, "mqtt.in.filters", root + "/#"));
        all.addAll(List.of(settings));
        return keep(TestServer.start(all.toArray(String[]::new)));
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "{\"n\":" + i + "}").toList();
    }

    private static List<Integer> numbers(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getJsonObject("data").getInt("n")).toList();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static JsonObject history(TestServer node, String channel) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("channels/" + channel + "/messages?limit=1000")) {
            return Frames.parse(response.readEntity(String.class));
        }
    }

    @Test
    void theBrokerRestartedWhileDevicesPublishAtQos1EveryMessageArrivesOnceInOrder() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer node = node(broker);
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe(root + ".seq");

        broker.publishLines(root + "/seq", numbered(1, 50), 1);
        browser.awaitMessages(root + ".seq", 50);
        broker.stop();
        await("the bridge down").atMost(Duration.ofSeconds(30))
                .until(() -> MqttBridgeIT.mqttHealth(node).getString("state").equals("down"));
        broker.startAgain();
        // The bridge reconnects after its backoff; what devices send before that waits in its session on the broker.
        broker.publishLines(root + "/seq", numbered(51, 100), 1);

        await().atMost(Duration.ofSeconds(60)).until(() -> browser.messages(root + ".seq").size() >= 100);
        assertEquals(range(1, 100), numbers(browser.messages(root + ".seq")));
        JsonObject mqtt = MqttBridgeIT.mqttHealth(node);
        assertEquals("up", mqtt.getString("state"), mqtt.toString());
        assertTrue(mqtt.getString("detail").contains("session resumed"), mqtt.toString());
        assertEquals(1, mqtt.getJsonObject("counters").getInt("reconnects"), mqtt.toString());
        assertEquals(100, mqtt.getJsonObject("counters").getInt("in"), mqtt.toString());
    }

    @Test
    void messagesSentWhileTheNodeWasAwayArriveWhenItIsBack() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer first = node(broker);
        await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(first).getString("state").equals("up"));
        first.close();

        broker.publishLines(root + "/seq", numbered(1, 30), 1);

        TestServer again = node(broker);
        await().atMost(Duration.ofSeconds(30)).until(() -> history(again, root + ".seq").getJsonArray("messages").size() >= 30);
        JsonArray messages = history(again, root + ".seq").getJsonArray("messages");
        List<Integer> seen = new ArrayList<>();
        messages.forEach(m -> seen.add(m.asJsonObject().getJsonObject("data").getInt("n")));
        assertEquals(range(1, 30), seen);
        assertTrue(MqttBridgeIT.mqttHealth(again).getString("detail").contains("session resumed"));
    }

    @Test
    void aNodeStartedWithoutItsBrokerConnectsWhenTheBrokerComes() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        broker.stop();
        TestServer node = node(broker, "mqtt.connect.timeout", "500ms");
        JsonObject down = MqttBridgeIT.mqttHealth(node);
        assertEquals("down", down.getString("state"), down.toString());
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe(root + ".late");

        broker.startAgain();
        await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(node).getString("state").equals("up"));
        broker.publish(root + "/late", "\"here\"", 1);

        assertEquals("\"here\"", browser.awaitMessages(root + ".late", 1).get(0).get("data").toString());
    }

    @Test
    void aRequiredMqttBridgeThatIsDownMakesTheNodeNotReadyAndTheMetricsSaySo() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer node = node(broker, "bridges.required", "mqtt", "management.port", "0");
        URI ready = node.management().resolve("api/health/ready");
        URI metrics = node.management().resolve("metrics");
        await("ready").atMost(Duration.ofSeconds(30)).until(() -> Scrape.fetch(ready, null).statusCode() == 200);
        assertTrue(Scrape.fetch(ready, null).body().contains("{\"name\":\"bridge:mqtt\",\"status\":\"up\""),
                Scrape.fetch(ready, null).body());
        assertEquals(1, Scrape.get(metrics, null).value("duplex_bridge_up", "bridge", "mqtt"));

        broker.publishLines(root + "/m", numbered(1, 3), 1);
        await("3 messages in").atMost(Duration.ofSeconds(30)).until(() ->
                Scrape.get(metrics, null).value("duplex_bridge_messages_total", "bridge", "mqtt", "counter", "in") == 3);
        Scrape counted = Scrape.get(metrics, null);
        assertEquals(3, counted.value("duplex_messages_published_total", "door", "mqtt"), "published through the bridge's door");
        assertEquals(0, counted.value("duplex_bridge_messages_total", "bridge", "mqtt", "counter", "skipped"));
        assertEquals(0, counted.value("duplex_bridge_messages_total", "bridge", "mqtt", "counter", "reconnects"));

        broker.stop();
        await("not ready").atMost(Duration.ofSeconds(30)).until(() -> Scrape.fetch(ready, null).statusCode() == 503);
        String notReady = Scrape.fetch(ready, null).body();
        assertTrue(notReady.contains("{\"name\":\"bridge:mqtt\",\"status\":\"down\",\"detail\":\"down: "), notReady);
        assertTrue(notReady.contains("{\"name\":\"engine\",\"status\":\"up\""), "only the bridge is down: " + notReady);
        try (Rest rest = new Rest(node.api()); Response health = rest.get("health")) {
            assertEquals(503, health.getStatus(), "/api/health answers as readiness does");
            JsonObject bridge = Frames.parse(health.readEntity(String.class)).getJsonArray("bridges").getJsonObject(0);
            assertTrue(bridge.isNull("backlog"), "MQTT brokers do not say how much waits for a session: " + bridge);
        }
        Scrape down = Scrape.get(metrics, null);
        assertEquals(0, down.value("duplex_bridge_up", "bridge", "mqtt"));
        assertEquals(0, down.value("duplex_ready"));
        assertTrue(!down.has("duplex_bridge_backlog_messages"), "no backlog series for a bridge without one");

        broker.startAgain();
        await("ready again").atMost(Duration.ofSeconds(60)).until(() -> Scrape.fetch(ready, null).statusCode() == 200);
        Scrape back = Scrape.get(metrics, null);
        assertEquals(1, back.value("duplex_bridge_up", "bridge", "mqtt"));
        assertEquals(1, back.value("duplex_bridge_messages_total", "bridge", "mqtt", "counter", "reconnects"));
    }

    @Test
    void whileTheBrokerIsAwayPublishesToExportedChannelsAreRefused() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer node = node(broker, "mqtt.out.channels", root + ".cmd");
        broker.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(node).getString("state").equals("down"));

        try (Rest rest = new Rest(node.api()); Response refused = rest.post("channels/" + root + ".cmd/messages",
                "{\"data\":\"open\"}");
                Response other = rest.post("channels/" + root + ".other/messages", "{\"data\":\"fine\"}")) {
            assertEquals(503, refused.getStatus());
            assertTrue(refused.readEntity(String.class).contains("mqtt.out.unavailable=fail"));
            assertEquals(201, other.getStatus(), "channels that are not exported are not affected");
        }
        assertEquals(0, history(node, root + ".cmd").getJsonArray("messages").size());
        assertEquals(1, MqttBridgeIT.mqttHealth(node).getJsonObject("counters").getInt("refused"));
    }

    @Test
    void theBridgeLogsInWithAPasswordOverTlsAndThePasswordIsNeverLogged() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        TestCertificate certificate = TestCertificate.issue("EC", List.of("localhost"), java.time.Instant.now().plus(
                Duration.ofDays(1)));
        Path cert = certificate.writeCertificate(tmp.resolve("broker.pem"));
        Path key = certificate.writePkcs8Key(tmp.resolve("broker.key"));
        MosquittoBroker broker = keep(MosquittoBroker.withTls(cert, key, "bridge", password));
        String uri = "mqtts://localhost:" + broker.port();
        try (WarProcess node = WarProcess.start(tmp, "--port", "0", "--log-level", "debug", "--bridges", "mqtt",
                "--mqtt-uri", uri, "--mqtt-username", "bridge", "--mqtt-password", password, "--mqtt-ssl-truststore",
                cert.toString(), "--mqtt-client-id", "duplex-" + root, "--mqtt-in-filters", root + "/#");
                Rest rest = new Rest(node.awaitListening().resolve("api/"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> rest.getJson("health").getJsonArray("bridges")
                    .getJsonObject(0).getString("state").equals("up"));
            broker.publish(root + "/secure", "{\"tls\":true}", 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (Response response = rest.get("channels/" + root + ".secure/messages")) {
                    return Frames.parse(response.readEntity(String.class)).getJsonArray("messages").size() == 1;
                }
            });
            node.terminate();
            node.awaitExit();
            assertTrue(node.output().stream().noneMatch(line -> line.contains(password)),
                    "the password was logged:\n" + String.join("\n", node.output()));
        }
    }

    @Test
    void aWrongPasswordFailsTheStartWithOneLineThatDoesNotShowIt() throws Exception {
        MosquittoBroker broker = keep(MosquittoBroker.withPassword("bridge", "right-" + UUID.randomUUID()));
        String wrong = "wrong-" + UUID.randomUUID();
        try (WarProcess node = WarProcess.start(tmp, "--port", "0", "--log-level", "debug", "--bridges", "mqtt",
                "--mqtt-uri", broker.uri(), "--mqtt-username", "bridge", "--mqtt-password", wrong, "--mqtt-in-filters", "a/#")) {
            assertEquals(1, node.awaitExit(), String.join("\n", node.output()));
            String expected = "duplex: could not start: mqtt: the broker at " + broker.uri() + " refused the bridge: ";
            assertTrue(node.output().stream().anyMatch(l -> l.startsWith(expected)), String.join("\n", node.output()));
            assertTrue(node.output().stream().noneMatch(l -> l.contains(wrong)), String.join("\n", node.output()));
            assertTrue(node.output().stream().noneMatch(l -> l.startsWith("\tat ")), String.join("\n", node.output()));
        }
    }

    @Test
    void anotherClientWithTheNodesClientIdIsPointedOut() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer node = node(broker);
        await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(node).getString("state").equals("up"));

        // A second client with the node's client id (a second node configured with the same mqtt.client.id). Mosquitto
        // 2.0 closes the older connection without a reason, and the two take the session from each other in turn.
        keep(broker.subscribe(root + "/other", "-i", "duplex-" + root));

        await().atMost(Duration.ofSeconds(60)).until(() -> MqttBridgeIT.mqttHealth(node).getString("detail")
                .contains("is another client (another node?) connecting with this node's client id duplex-" + root));
    }

    @Test
    void aBrokerHostThatDoesNotResolveFailsTheStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestServer.start("bridges", "mqtt",
                "mqtt.uri", "mqtt://no-such-host.invalid", "mqtt.in.filters", "a/#"));
        String message = e.getCause().getMessage();
        assertTrue(message.contains("no-such-host.invalid") && message.contains("does not resolve"), message);
    }
}
