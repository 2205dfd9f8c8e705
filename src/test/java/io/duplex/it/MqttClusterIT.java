package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.RedisFixture;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Duplex nodes on the Redis engine sharing the inbound work through an MQTT 5 shared subscription: the broker gives
 * each device message to one of them, and the engine carries it to the subscribers of both, so each subscriber gets each
 * message once.
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
}
