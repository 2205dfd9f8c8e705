package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Kafka broker for a test class (a broker JVM is heavy on a small machine: the tests of a class share it, each with
 * topics of its own), running before each test (a test may stop it):
 * {@code @RegisterExtension static final KafkaFixture KAFKA = new KafkaFixture();}
 */
public final class KafkaFixture implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = KafkaBroker.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (broker.pid() < 0) {
            broker.startAgain();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        broker.close();
    }

    /** The running broker; available from the test instance on. */
    public KafkaBroker broker() {
        return broker;
    }

    /** A topic of the calling test's own ({@code name} and a random tail), so tests sharing the broker never meet. */
    public String topic(String name, int partitions) {
        String topic = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker.createTopic(topic, partitions);
        return topic;
    }

    /**
     * A node's settings for a Kafka bridge on this broker, with a consumer group of its own and reading from the
     * earliest record (a test's records may be in the topic before the node's consumer joins), then {@code more}.
     */
    public List<String> bridgeSettings(String... more) {
        List<String> all = new ArrayList<>(List.of("bridges", "kafka", "kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.group.id", "duplex-" + UUID.randomUUID(), "kafka.in.from", "earliest"));
        all.addAll(List.of(more));
        return all;
    }

    /** Kafka's own producer on this broker, acks=all, then the given {@code ProducerConfig} names and values. */
    public KafkaProducer<String, String> producer(Object... config) {
        Map<String, Object> all = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"));
        for (int i = 0; i < config.length; i += 2) {
            all.put((String) config[i], config[i + 1]);
        }
        return new KafkaProducer<>(all, new StringSerializer(), new StringSerializer());
    }

    /** Kafka's own consumer, in a group of its own, reading {@code topic} from its first record. */
    public KafkaConsumer<String, String> reader(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls {@code consumer} until {@code count} records came, or fails after {@code atMost}. */
    public static List<ConsumerRecord<String, String>> read(KafkaConsumer<String, String> consumer, int count, Duration atMost) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await(count + " records").atMost(atMost).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }
}
