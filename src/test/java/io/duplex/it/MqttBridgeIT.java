package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.LogWatch;
import io.duplex.testing.MosquittoBroker;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MQTT bridge on one node against a real Mosquitto, with Mosquitto's own clients on the other side: what
 * mosquitto_pub publishes reaches WebSocket subscribers and history; WebSocket and REST publishes reach mosquitto_sub,
 * with the configured QoS and retain flag; nothing loops back; bad messages are skipped and counted.
 */
class MqttBridgeIT {
    private static MosquittoBroker broker;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** A topic root of this test's own: the tests share the broker. */
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

    private TestServer node(String... settings) {
        List<String> all = new ArrayList<>(List.of("bridges", "mqtt", "mqtt.uri", broker.uri(), "mqtt.client.id",
                "duplex-" + root, "mqtt.in.group", root));
        all.addAll(List.of(settings));
        return keep(TestServer.start(all.toArray(String[]::new)));
    }

    static JsonObject mqttHealth(TestServer node) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("health")) {
            JsonObject health = Frames.parse(response.readEntity(String.class));
            return health.getJsonArray("bridges").getJsonObject(0);
        }
    }

    @Test
    void aDevicesReadingReachesAWebSocketSubscriberAndHistory() {
        TestServer node = node("mqtt.in.filters", root + "/plant/+/temperature", "mqtt.in.channels",
                root + "/plant/+/temperature=temperature.{level:3}");
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe("temperature.7");

        broker.publish(root + "/plant/7/temperature", "{\"celsius\":21.5}", 1);
        broker.publish(root + "/plant/7/temperature", "hot, {not json", 1);

        List<JsonObject> pushed = browser.awaitMessages("temperature.7", 2);
        assertEquals("{\"celsius\":21.5}", pushed.get(0).getJsonObject("data").toString());
        assertEquals("\"hot, {not json\"", pushed.get(1).get("data").toString());
        try (Rest rest = new Rest(node.api())) {
            JsonObject history = Rest.body(rest.get("channels/temperature.7/messages"));
            assertEquals(2, history.getJsonArray("messages").size(), history.toString());
        }
        JsonObject mqtt = mqttHealth(node);
        assertEquals("mqtt", mqtt.getString("name"));
        assertEquals("up", mqtt.getString("state"), mqtt.toString());
        assertTrue(mqtt.getString("detail").contains("subscribed to " + root + "/plant/+/temperature at QoS 1"), mqtt.toString());
        assertEquals(2, mqtt.getJsonObject("counters").getInt("in"), mqtt.toString());
    }

    @Test
    void theWholeTopicBecomesTheChannelWithCharactersAChannelCannotHoldEscaped() {
        TestServer node = node("mqtt.in.filters", root + "/fleet/#");
        WsClient browser = keep(WsClient.connect(node.ws()));
        String channel = root + ".fleet.truck@201.pos@2Ex";
        browser.subscribe(channel);

        broker.publish(root + "/fleet/truck 1/pos.x", "12", 1);

        assertEquals("12", browser.awaitMessages(channel, 1).get(0).get("data").toString());
    }

    @Test
    void webSocketAndRestPublishesReachMosquittoSubWithTheirTopics() {
        TestServer node = node("mqtt.out.channels", root + ".commands.*", "mqtt.out.topic", "duplex/{channel}");
        MosquittoBroker.Subscriber device = keep(broker.subscribe("duplex/" + root + "/commands/#"));
        WsClient browser = keep(WsClient.connect(node.ws()));

        browser.publish(root + ".commands.valve-7", "{\"open\":true}");
        try (Rest rest = new Rest(node.api())) {
            rest.publish(root + ".commands.pump-2", "\"stop\"");
            rest.publish(root + ".news", "\"not exported\"");
        }

        List<String> received = device.await(2);
        assertEquals(List.of("duplex/" + root + "/commands/valve-7 0 {\"open\":true}",
                "duplex/" + root + "/commands/pump-2 0 stop"), received);
        await().atMost(Duration.ofSeconds(10)).until(() -> mqttHealth(node).getJsonObject("counters").getInt("out") == 2);
    }

    @Test
    void retainedMessagesReachDevicesThatSubscribeLater() {
        TestServer node = node("mqtt.out.channels", root + ".config", "mqtt.out.retain", "true", "mqtt.out.qos", "2",
                "mqtt.out.payload", "message");
        try (Rest rest = new Rest(node.api())) {
            rest.publish(root + ".config", "{\"interval\":30}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> mqttHealth(node).getJsonObject("counters").getInt("out") == 1);

        MosquittoBroker.Subscriber late = keep(broker.subscribe(root + "/config"));
        String line = late.await(1).get(0);
        assertTrue(line.startsWith(root + "/config 1 {"), line);
        JsonObject whole = Frames.parse(line.substring(line.indexOf('{')));
        assertEquals(root + ".config", whole.getString("channel"));
        assertEquals(30, whole.getJsonObject("data").getInt("interval"));
        broker.publish(root + "/config", "", 1, "-r"); // clears the retained message
    }

    @Test
    void aMessageThatCameFromMqttIsNeverPublishedBack() {
        // Every channel is exported, and every topic of the root is subscribed: the widest loop there is.
        TestServer node = node("mqtt.in.filters", root + "/#", "mqtt.out.channels", "*");
        MosquittoBroker.Subscriber watcher = keep(broker.subscribe(root + "/#"));
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe(root + ".in");
        browser.subscribe(root + ".out");

        broker.publish(root + "/in", "\"from a device\"", 1);
        browser.awaitMessages(root + ".in", 1);
        try (Rest rest = new Rest(node.api())) {
            rest.publish(root + ".out", "\"from rest\"");
        }

        // mosquitto_sub sees the device's message and the REST one, once each; the bridge got the REST one back and
        // knew it for its own.
        await().atMost(Duration.ofSeconds(10)).until(() -> mqttHealth(node).getJsonObject("counters").getInt("own") == 1);
        assertEquals(List.of(root + "/in 0 \"from a device\"", root + "/out 0 from rest"), watcher.await(2));
        assertEquals(1, browser.messages(root + ".out").size(), "the REST message reached its subscriber once");
        assertEquals(1, browser.messages(root + ".in").size());
        JsonObject counters = mqttHealth(node).getJsonObject("counters");
        assertEquals(1, counters.getInt("in"), counters.toString());
        assertEquals(1, counters.getInt("out"), counters.toString());
        assertEquals(2, watcher.messages().size(), watcher.messages().toString());
    }

    @Test
    void badMessagesAreSkippedWithOneLineEachAndCountedWhileTheOnesAfterThemPass() {
        TestServer node = node("mqtt.in.filters", root + "/items/#", "mqtt.in.channels", "*=item.{level:-1}",
                "message.max.bytes", "1KiB");
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe("item.good");
        LogWatch log = watchLog();

        broker.publish(root + "/items/" + "x".repeat(300), "\"name too long\"", 1);
        broker.publish(root + "/items/good", "\"" + "x".repeat(2000) + "\"", 1);
        broker.publish(root + "/items/good", "null", 1);
        broker.publish(root + "/items/good", "\"fine\"", 1);

        assertEquals("\"fine\"", browser.awaitMessages("item.good", 1).get(0).get("data").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> skipped(log).size() >= 3);
        List<String> lines = skipped(log);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("is not valid") && lines.get(0).contains("the most is 255"), lines.get(0));
        assertTrue(lines.get(1).contains(root + "/items/good") && lines.get(1).contains("the most is 1024"), lines.get(1));
        assertTrue(lines.get(2).contains("JSON null"), lines.get(2));
        JsonObject counters = mqttHealth(node).getJsonObject("counters");
        assertEquals(3, counters.getInt("skipped"), counters.toString());
        assertEquals(1, counters.getInt("in"), counters.toString());
    }

    @Test
    void aMessageSentTwiceWithTheSameDeviceIdReachesSubscribersOnce() {
        TestServer node = node("mqtt.in.filters", root + "/meter/#");
        WsClient browser = keep(WsClient.connect(node.ws()));
        browser.subscribe(root + ".meter.m1");

        // A device that did not get its PUBACK sends the reading again, with the id it gave it (an MQTT 5 user property).
        broker.publish(root + "/meter/m1", "{\"kwh\":7}", 1, "-D", "publish", "user-property", "message-id", "r-1");
        broker.publish(root + "/meter/m1", "{\"kwh\":7}", 1, "-D", "publish", "user-property", "message-id", "r-1");
        broker.publish(root + "/meter/m1", "{\"kwh\":8}", 1, "-D", "publish", "user-property", "message-id", "r-2");

        await().atMost(Duration.ofSeconds(10)).until(() -> mqttHealth(node).getJsonObject("counters").getInt("redelivered") == 1);
        assertEquals(List.of("{\"kwh\":7}", "{\"kwh\":8}"), browser.awaitMessages(root + ".meter.m1", 2).stream()
                .map(m -> m.getJsonObject("data").toString()).toList());
        assertEquals(2, mqttHealth(node).getJsonObject("counters").getInt("in"));
        try (Rest rest = new Rest(node.api())) {
            assertEquals(2, Rest.body(rest.get("channels/" + root + ".meter.m1/messages")).getJsonArray("messages").size());
        }
    }

    private static List<String> skipped(LogWatch log) {
        return log.messages().stream().filter(line -> line.contains("skipped")).toList();
    }

    /** The bridge's warnings from now on (the node runs in this JVM: its java.util.logging is this one's). */
    private LogWatch watchLog() {
        LogWatch log = LogWatch.of("io.duplex.bridge.mqtt", Level.WARNING);
        keep(log::close);
        return log;
    }
}
