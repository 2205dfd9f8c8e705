package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT bridge speaking MQTT 3.1.1 (mqtt.version=3.1.1, Paho's mqttv3 client) to a real Mosquitto, with Mosquitto's
 * own clients speaking 3.1.1 too (mosquitto_pub/mosquitto_sub -V mqttv311): devices reach browsers, browsers reach
 * devices, and the session the node keeps on the broker holds what devices sent while the node was away. The broker's
 * log shows the protocol each client connected with (Mosquitto's p2 is 3.1.1, p5 is MQTT 5).
 */
class Mqtt311IT {
    private static MosquittoBroker broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final String root = "t" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startBroker() {
        broker = MosquittoBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

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

    private TestServer node() {
        return keep(TestServer.start("bridges", "mqtt", "mqtt.version", "3.1.1", "mqtt.uri", broker.uri(), "mqtt.client.id",
                "duplex-" + root, "mqtt.in.filters", root + "/dev/#", "mqtt.in.channels", root + "/dev/#=" + root
                        + ".dev.{level:-1}", "mqtt.out.channels", root + ".cmd.*", "mqtt.out.topic", "out/{channel}"));
    }

    private static JsonObject history(TestServer node, String channel) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("channels/" + channel + "/messages?limit=1000")) {
            return Frames.parse(response.readEntity(String.class));
        }
    }

    @Test
    void aDevicesReadingReachesABrowserAndABrowsersCommandReachesTheDevice() {
        TestServer node = node();
        JsonObject up = MqttBridgeIT.mqttHealth(node);
        assertEquals("up", up.getString("state"), up.toString());
        assertTrue(up.getString("detail").contains("as duplex-" + root + " over MQTT 3.1.1"), up.toString());
        assertTrue(up.getString("detail").contains("subscribed to " + root + "/dev/# at QoS 1"), "no $share/ with 3.1.1: " + up);
        assertTrue(broker.log().contains("as duplex-" + root + " (p2,"), "the broker saw a 3.1.1 client: " + broker.log());
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe(root + ".dev.sensor-1");
        MosquittoBroker.Subscriber device = keep(broker.subscribe("out/" + root + "/cmd/#", "-V", "mqttv311"));

        broker.publish(root + "/dev/sensor-1", "{\"celsius\":20.5}", 1, "-V", "mqttv311");
        browser.publish(root + ".cmd.valve-7", "{\"open\":true}");

        assertEquals("{\"celsius\":20.5}", browser.awaitMessages(root + ".dev.sensor-1", 1).get(0).getJsonObject("data")
                .toString());
        assertEquals(1, history(node, root + ".dev.sensor-1").getJsonArray("messages").size());
        assertEquals(List.of("out/" + root + "/cmd/valve-7 0 {\"open\":true}"), device.await(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> MqttBridgeIT.mqttHealth(node).getJsonObject("counters").getInt("out") == 1);
        JsonObject counters = MqttBridgeIT.mqttHealth(node).getJsonObject("counters");
        assertEquals(1, counters.getInt("in"), counters.toString());
        assertEquals(0, counters.getInt("own"), "nothing came back: " + counters);
    }

    @Test
    void messagesSentWhileTheNodeWasAwayArriveWhenItIsBack() {
        TestServer first = node();
        await().atMost(Duration.ofSeconds(30)).until(() -> MqttBridgeIT.mqttHealth(first).getString("state").equals("up"));
        first.close();

        broker.publishLines(root + "/dev/seq", IntStream.rangeClosed(1, 30).mapToObj(i -> "{\"n\":" + i + "}").toList(), 1,
                "-V", "mqttv311");

        TestServer again = node();
        await().atMost(Duration.ofSeconds(30)).until(() -> history(again, root + ".dev.seq").getJsonArray("messages").size() >= 30);
        JsonArray messages = history(again, root + ".dev.seq").getJsonArray("messages");
        List<Integer> seen = new ArrayList<>();
        messages.forEach(m -> seen.add(m.asJsonObject().getJsonObject("data").getInt("n")));
        assertEquals(IntStream.rangeClosed(1, 30).boxed().toList(), seen);
        assertTrue(MqttBridgeIT.mqttHealth(again).getString("detail").contains("(session resumed)"));
    }
}
