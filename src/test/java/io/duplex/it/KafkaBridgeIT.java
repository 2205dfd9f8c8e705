package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Closer;
import io.duplex.testing.Frames;
import io.duplex.testing.KafkaFixture;
import io.duplex.testing.LogWatch;
import io.duplex.testing.Rest;
import io.duplex.testing.TestServer;
import io.duplex.testing.WsClient;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka bridge on one node, against a real KRaft broker, with Kafka's own clients on the other side: records a
 * plain producer writes reach WebSocket subscribers and history; WebSocket and REST publishes reach a plain consumer;
 * nothing loops back; bad records are skipped and counted without holding up the records after them.
 */
class KafkaBridgeIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = new KafkaFixture();

    @RegisterExtension
    final Closer open = new Closer();

    private TestServer node(String... settings) {
        return open.keep(TestServer.start(KAFKA.bridgeSettings(settings).toArray(String[]::new)));
    }

    private KafkaProducer<String, String> producer() {
        return open.keep(KAFKA.producer());
    }

    private KafkaConsumer<String, String> reader(String topic) {
        return open.keep(KAFKA.reader(topic));
    }

    private static List<ConsumerRecord<String, String>> read(KafkaConsumer<String, String> consumer, int count) {
        return KafkaFixture.read(consumer, count, Duration.ofSeconds(30));
    }

    private static JsonObject health(TestServer node) {
        try (Rest rest = new Rest(node.api()); Response response = rest.get("health")) {
            return Frames.parse(response.readEntity(String.class));
        }
    }

    private static JsonObject kafkaHealth(TestServer node) {
        return health(node).getJsonArray("bridges").getJsonObject(0);
    }

    @Test
    void aRecordFromAPlainProducerReachesAWebSocketSubscriberAndHistory() throws Exception {
        String topic = KAFKA.topic("orders.status", 3);
        TestServer node = node("kafka.in.topics", topic, "kafka.in.channels", topic + "=order:{key}");
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe("order:42");

        producer().send(new ProducerRecord<>(topic, "42", "{\"status\":\"shipped\"}")).get();

        JsonObject push = browser.awaitMessages("order:42", 1).get(0);
        assertEquals("{\"status\":\"shipped\"}", push.getJsonObject("data").toString());
        try (Rest rest = new Rest(node.api())) {
            JsonObject history = Rest.body(rest.get("channels/order:42/messages"));
            assertEquals(1, history.getJsonArray("messages").size(), history.toString());
            assertEquals("shipped", history.getJsonArray("messages").getJsonObject(0).getJsonObject("data").getString("status"));
        }
        JsonObject kafka = kafkaHealth(node);
        assertEquals("kafka", kafka.getString("name"));
        assertEquals("up", kafka.getString("state"), kafka.toString());
        assertEquals(1, kafka.getJsonObject("counters").getInt("in"), kafka.toString());
    }

    @Test
    void aValueThatIsNotJsonArrivesAsAString() throws Exception {
        String topic = KAFKA.topic("plain", 1);
        TestServer node = node("kafka.in.topics", topic, "kafka.in.channels", "*=plain.{topic}");
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe("plain." + topic);

        producer().send(new ProducerRecord<>(topic, null, "hello, {not json")).get();

        assertEquals("\"hello, {not json\"", browser.awaitMessages("plain." + topic, 1).get(0).get("data").toString());
    }

    @Test
    void webSocketAndRestPublishesReachAPlainKafkaConsumer() {
        String out = KAFKA.topic("duplex.out", 2);
        TestServer node = node("kafka.out.channels", "chat:*", "kafka.out.topic", out);
        KafkaConsumer<String, String> consumer = reader(out);
        WsClient browser = open.keep(WsClient.connect(node.ws()));

        JsonObject published = browser.publish("chat:1", "{\"text\":\"from a browser\"}");
        try (Rest rest = new Rest(node.api())) {
            rest.publish("chat:2", "\"from a backend\"");
            rest.publish("news", "\"not exported\"");
        }

        List<ConsumerRecord<String, String>> records = read(consumer, 2);
        assertEquals(List.of("chat:1", "chat:2"), records.stream().map(ConsumerRecord::key).sorted().toList());
        ConsumerRecord<String, String> first = records.stream().filter(r -> r.key().equals("chat:1")).findFirst().orElseThrow();
        JsonObject value = Frames.parse(first.value());
        assertEquals("chat:1", value.getString("channel"));
        assertEquals(published.getString("epoch"), value.getString("epoch"));
        assertEquals(published.getJsonNumber("offset").longValue(), value.getJsonNumber("offset").longValue());
        assertNotNull(Instant.parse(value.getString("time")));
        assertTrue(value.isNull("user"), value.toString()); // dev mode: an anonymous session
        assertEquals("from a browser", value.getJsonObject("data").getString("text"));
        await().atMost(Duration.ofSeconds(10)).until(() -> kafkaHealth(node).getJsonObject("counters").getInt("out") == 2);
        assertTrue(consumer.poll(Duration.ofSeconds(1)).isEmpty(), "only the exported channels were produced");
    }

    @Test
    void aMessageThatCameFromKafkaIsNeverProducedBack() throws Exception {
        String in = KAFKA.topic("loop.in", 1);
        String out = KAFKA.topic("loop.out", 1);
        // Every channel is exported, and the output topic is consumed too: the widest loop there is.
        TestServer node = node("kafka.in.topics", in + "," + out, "kafka.in.channels", "*={topic}", "kafka.out.channels", "*",
                "kafka.out.topic", out);
        KafkaConsumer<String, String> reader = reader(out);
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe(in);
        browser.subscribe(out);

        producer().send(new ProducerRecord<>(in, "k", "\"from kafka\"")).get();
        browser.awaitMessages(in, 1);
        try (Rest rest = new Rest(node.api())) {
            rest.publish("from.rest", "\"from rest\"");
        }

        List<ConsumerRecord<String, String>> records = read(reader, 1);
        assertEquals("from.rest", records.get(0).key(), "the REST message went out; the Kafka one did not");
        await().atMost(Duration.ofSeconds(10)).until(() -> kafkaHealth(node).getJsonObject("counters").getInt("own") == 1);
        assertTrue(reader.poll(Duration.ofSeconds(1)).isEmpty());
        assertTrue(browser.messages(out).isEmpty(), "the record Duplex produced itself did not come back as a message");
        assertEquals(1, browser.messages(in).size());
    }

    @Test
    void badRecordsAreSkippedWithOneLineEachAndCountedWhileTheRecordsAfterThemPass() throws Exception {
        String topic = KAFKA.topic("mixed", 1);
        TestServer node = node("kafka.in.topics", topic, "kafka.in.channels", topic + "=item:{key}", "message.max.bytes", "1KiB");
        WsClient browser = open.keep(WsClient.connect(node.ws()));
        browser.subscribe("item:good");
        LogWatch log = watchLog();

        KafkaProducer<String, String> producer = producer();
        producer.send(new ProducerRecord<>(topic, null, "\"no key\""));
        producer.send(new ProducerRecord<>(topic, "not a channel!", "\"bad channel\""));
        producer.send(new ProducerRecord<>(topic, "good", "\"" + "x".repeat(2000) + "\""));
        producer.send(new ProducerRecord<>(topic, "good", null));
        producer.send(new ProducerRecord<>(topic, "good", "\"fine\"")).get();

        assertEquals("\"fine\"", browser.awaitMessages("item:good", 1).get(0).get("data").toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> skipped(log).size() >= 4);
        List<String> lines = skipped(log);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(topic + "-0@0") && lines.get(0).contains("no key"), lines.get(0));
        assertTrue(lines.get(1).contains("@1") && lines.get(1).contains("not a channel!"), lines.get(1));
        assertTrue(lines.get(2).contains("@2") && lines.get(2).contains("the most is 1024"), lines.get(2));
        assertTrue(lines.get(3).contains("@3") && lines.get(3).contains("tombstone"), lines.get(3));
        JsonObject counters = kafkaHealth(node).getJsonObject("counters");
        assertEquals(4, counters.getInt("skipped"), counters.toString());
        assertEquals(1, counters.getInt("in"), counters.toString());
    }

    private static List<String> skipped(LogWatch log) {
        return log.messages().stream().filter(line -> line.contains("skipped")).toList();
    }

    /** The bridge's warnings from now on (the node runs in this JVM: its java.util.logging is this one's). */
    private LogWatch watchLog() {
        LogWatch log = LogWatch.of("io.duplex.bridge.kafka", Level.WARNING);
        open.keep(log::close);
        return log;
    }
}
