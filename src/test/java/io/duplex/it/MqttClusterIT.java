package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.Rest;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Duplex nodes on the Redis engine sharing the inbound work through an MQTT 5 shared subscription: the broker gives
 * each device message to one of them, and the engine carries it to the subscribers of both, so each subscriber gets each
 * message once. And a node killed (SIGKILL) while a device publishes: when it is back, the channel has every message,
 * once. And MQTT 3.1.1, which has no shared subscriptions: both nodes receive each message, and its id makes it once.
 */
class MqttClusterIT {
    @RegisterExtension
    static final RedisFixture REDIS = new RedisFixture();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final String root = "t" + UUID.randomUUID().toString().substring(0, 8);

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

    private TestServer node(MosquittoBroker broker, String clientId) {
        return keep(TestServer.start("engine", "redis", "redis.uri", REDIS.server().uri(), "bridges", "mqtt", "mqtt.uri",
                broker.uri(), "mqtt.client.id", clientId, "mqtt.in.group", root, "mqtt.in.filters", root + "/#"));
    }

    @Test
    void eachDeviceMessageReachesTheSubscribersOfBothNodesOnce() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        TestServer a = node(broker, root + "-a");
        TestServer b = node(broker, root + "-b");
        for (TestServer node : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(node).getString("detail")
                    .contains("$share/" + root + "/" + root + "/#"));
        }
        WsClient onA = keep(WsClient.connect(a.ws()));
        WsClient onB = keep(WsClient.connect(b.ws()));
        onA.subscribe(root + ".seq");
        onB.subscribe(root + ".seq");

        int count = 200;
        broker.publishLines(root + "/seq", IntStream.rangeClosed(1, count).mapToObj(i -> "{\"n\":" + i + "}").toList(), 1);

        List<Integer> all = IntStream.rangeClosed(1, count).boxed().toList();
        for (WsClient browser : List.of(onA, onB)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> browser.messages(root + ".seq").size() >= count);
            List<Integer> seen = browser.messages(root + ".seq").stream().map(m -> m.getJsonObject("data").getInt("n"))
                    .sorted().toList();
            assertEquals(all, seen, "each message once");
        }
        JsonObject countersA = MqttBridgeIT.mqttHealth(a).getJsonObject("counters");
        JsonObject countersB = MqttBridgeIT.mqttHealth(b).getJsonObject("counters");
        assertEquals(count, countersA.getInt("in") + countersB.getInt("in"), countersA + " " + countersB);
        assertTrue(countersA.getInt("in") > 0 && countersB.getInt("in") > 0, "both nodes took a share: " + countersA + " "
                + countersB);
    }

    /**
     * MQTT 3.1.1 has no shared subscriptions: both nodes receive every message. With an id in the payload
     * (mqtt.in.id=json:id) the two copies share one idempotency key, so subscribers get each message once; the node that
     * came second counts its copy as redelivered.
     */
    @Test
    void withMqtt311BothNodesReceiveEveryMessageAndTheIdMakesItOnce() {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        List<TestServer> nodes = new ArrayList<>();
        for (String suffix : List.of("-a", "-b")) {
            nodes.add(keep(TestServer.start("engine", "redis", "redis.uri", REDIS.server().uri(), "bridges", "mqtt",
                    "mqtt.version", "3.1.1", "mqtt.uri", broker.uri(), "mqtt.client.id", root + suffix, "mqtt.in.filters",
                    root + "/#", "mqtt.in.id", "json:id")));
        }
        for (TestServer node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(node).getString("detail")
                    .contains("subscribed to " + root + "/# at QoS 1"));
        }
        WsClient onA = keep(WsClient.connect(nodes.get(0).ws()));
        WsClient onB = keep(WsClient.connect(nodes.get(1).ws()));
        onA.subscribe(root + ".seq");
        onB.subscribe(root + ".seq");

        int count = 50;
        broker.publishLines(root + "/seq", IntStream.rangeClosed(1, count).mapToObj(i -> "{\"id\":\"m" + i + "\",\"n\":" + i
                + "}").toList(), 1, "-V", "mqttv311");

        List<Integer> all = IntStream.rangeClosed(1, count).boxed().toList();
        for (TestServer node : nodes) {
            await("both copies handled").atMost(Duration.ofSeconds(60)).until(() -> {
                JsonObject counters = MqttBridgeIT.mqttHealth(node).getJsonObject("counters");
                return counters.getInt("in") + counters.getInt("redelivered") == count;
            });
        }
        for (WsClient browser : List.of(onA, onB)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.messages(root + ".seq").size() >= count);
            List<Integer> seen = browser.messages(root + ".seq").stream().map(m -> m.getJsonObject("data").getInt("n"))
                    .sorted().toList();
            assertEquals(all, seen, "each message once, though both nodes received it");
        }
        JsonObject countersA = MqttBridgeIT.mqttHealth(nodes.get(0)).getJsonObject("counters");
        JsonObject countersB = MqttBridgeIT.mqttHealth(nodes.get(1)).getJsonObject("counters");
        assertEquals(count, countersA.getInt("in") + countersB.getInt("in"), "published once: " + countersA + " " + countersB);
        assertEquals(count, countersA.getInt("redelivered") + countersB.getInt("redelivered"), "the other copies: "
                + countersA + " " + countersB);
    }

    @Test
    void aNodeKilledMidStreamLosesNothingAndDoublesNothing(@TempDir Path tmp) throws Exception {
        MosquittoBroker broker = keep(MosquittoBroker.start());
        String[] args = {"--port", "0", "--engine", "redis", "--redis-uri", REDIS.server().uri(), "--bridges", "mqtt",
            "--mqtt-uri", broker.uri(), "--mqtt-client-id", root + "-k", "--mqtt-in-group", root, "--mqtt-in-filters",
            root + "/#", "--history-size", "10000", "--history-page-max", "10000"};
        WarProcess first = keep(WarProcess.start(tmp.resolve("first"), args));
        URI api = first.awaitListening().resolve("api/");
        await().atMost(Duration.ofSeconds(30)).until(() -> bridgeState(api).equals("up"));

        int count = 3000;
        Thread device = new Thread(() -> broker.publishLines(root + "/seq",
                IntStream.rangeClosed(1, count).mapToObj(i -> "{\"n\":" + i + "}").toList(), 1), "device");
        device.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> history(api).size() >= 300);
        first.process().destroyForcibly().waitFor(); // SIGKILL: messages published and not yet acknowledged come again

        WarProcess second = keep(WarProcess.start(tmp.resolve("second"), args));
        URI again = second.awaitListening().resolve("api/");
        device.join(TimeUnit.SECONDS.toMillis(120));
        await().atMost(Duration.ofSeconds(120)).until(() -> history(again).size() >= count);

        List<Integer> seen = new ArrayList<>();
        history(again).forEach(m -> seen.add(m.asJsonObject().getJsonObject("data").getInt("n")));
        assertEquals(count, seen.size(), "nothing doubled");
        assertEquals(IntStream.rangeClosed(1, count).boxed().toList(), seen.stream().sorted().toList(), "nothing lost");
    }

    private String bridgeState(URI api) {
        try (Rest rest = new Rest(api)) {
            return rest.getJson("health").getJsonArray("bridges").getJsonObject(0).getString("state");
        }
    }

    private JsonArray history(URI api) {
        try (Rest rest = new Rest(api); Response response = rest.get("channels/" + root + ".seq/messages?limit=10000")) {
            return Frames.parse(response.readEntity(String.class)).getJsonArray("messages");
        }
    }
}
