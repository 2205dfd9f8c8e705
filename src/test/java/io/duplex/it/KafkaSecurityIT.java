package io.duplex.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.testing.Frames;
import io.duplex.testing.KafkaBroker;
import io.duplex.testing.Rest;
import io.duplex.testing.WarProcess;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka bridge logging in to a broker that asks for SASL (SCRAM-SHA-256): with the right password the records flow;
 * with a wrong one the start fails with one line saying so. The password never appears in the node's output, at
 * debug level, in either case. (TLS settings are passed to Kafka's clients the same way as SASL's.)
 */
class KafkaSecurityIT {
    private static final String USER = "duplex-bridge";
    private static final String PASSWORD = "scram-" + UUID.randomUUID();
    private static KafkaBroker broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.withScram(USER, PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private WarProcess node(String topic, String password) throws Exception {
        return WarProcess.start(tmp, "--port", "0", "--log-level", "debug", "--bridges", "kafka",
                "--kafka-bootstrap-servers", broker.saslBootstrapServers(), "--kafka-security-protocol", "SASL_PLAINTEXT",
                "--kafka-sasl-mechanism", "SCRAM-SHA-256", "--kafka-sasl-username", USER, "--kafka-sasl-password", password,
                "--kafka-in-topics", topic, "--kafka-in-from", "earliest");
    }

    private static void assertNoSecretIn(List<String> output, String secret) {
        assertTrue(output.stream().noneMatch(line -> line.contains(secret)), "the password was logged:\n" + String.join("\n", output));
    }

    @Test
    void theBridgeLogsInWithScramAndRecordsFlowAndThePasswordIsNeverLogged() throws Exception {
        String topic = "secure-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, 1);
        try (WarProcess node = node(topic, PASSWORD);
                KafkaProducer<String, String> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                        new StringSerializer(), new StringSerializer());
                Rest rest = new Rest(node.awaitListening().resolve("api/"))) {
            producer.send(new ProducerRecord<>(topic, "k", "{\"secure\":true}")).get();
            await().atMost(Duration.ofSeconds(60)).until(() -> history(rest, topic), h -> h.getJsonArray("messages").size() == 1);
            JsonObject kafka = rest.getJson("health").getJsonArray("bridges").getJsonObject(0);
            assertEquals("up", kafka.getString("state"), kafka.toString());
            node.terminate();
            node.awaitExit();
            assertNoSecretIn(node.output(), PASSWORD);
        }
    }

    private static JsonObject history(Rest rest, String channel) {
        try (Response response = rest.get("channels/" + channel + "/messages")) {
            return Frames.parse(response.readEntity(String.class));
        }
    }

    @Test
    void aWrongPasswordFailsTheStartWithOneLineThatDoesNotShowIt() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        try (WarProcess node = node("any", wrong)) {
            assertEquals(1, node.awaitExit(), String.join("\n", node.output()));
            String expected = "duplex: could not start: kafka: the cluster at " + broker.saslBootstrapServers()
                    + " refused the bridge: ";
            assertTrue(node.output().stream().anyMatch(l -> l.startsWith(expected) && l.contains("invalid credentials")),
                    String.join("\n", node.output()));
            assertNoSecretIn(node.output(), wrong);
        }
    }
}
