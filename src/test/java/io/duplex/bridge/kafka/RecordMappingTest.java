package io.duplex.bridge.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.duplex.config.ConfigLoader;
import io.duplex.config.ConfigSource;
import io.duplex.config.Setting;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What a Kafka record becomes: its channel from the topic's route, its data from its value. */
class RecordMappingTest {
    private final RecordMapping mapping = new RecordMapping(ConfigLoader.load(ConfigSource.flags(Map.of(
            Setting.BRIDGES, "kafka", Setting.KAFKA_BOOTSTRAP_SERVERS, "k:9092", Setting.KAFKA_IN_TOPICS, "orders,sensors,raw",
            Setting.KAFKA_IN_CHANNELS, "orders=order:{key},sensors={header:site}.{partition},*={topic}"))).kafka());

    private static ConsumerRecord<byte[], byte[]> record(String topic, String key, byte[] value, RecordHeader... headers) {
        return new ConsumerRecord<>(topic, 3, 17, 0L, TimestampType.CREATE_TIME, -1, -1,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders(headers), Optional.empty());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aJsonValueIsTheDataAsItIsAndTheKeyNamesTheChannel() throws Exception {
        RecordMapping.Message message = mapping.map(record("orders", "42", utf8(" {\"status\": \"shipped\"} ")));
        assertEquals("order:42", message.channel().value());
        assertEquals("{\"status\":\"shipped\"}", message.data().json());
        assertEquals("[1,2]", mapping.map(record("orders", "1", utf8("[1,2]"))).data().json());
        assertEquals("12.5", mapping.map(record("orders", "1", utf8("12.5"))).data().json());
    }

    @Test
    void textThatIsNotJsonIsAString() throws Exception {
        assertEquals("\"plain text\"", mapping.map(record("raw", null, utf8("plain text"))).data().json());
        assertEquals("\"{half\"", mapping.map(record("raw", null, utf8("{half"))).data().json());
        assertEquals("\"12 monkeys\"", mapping.map(record("raw", null, utf8("12 monkeys"))).data().json());
        assertEquals("\"\"", mapping.map(record("raw", null, utf8(""))).data().json());
        assertEquals("raw", mapping.map(record("raw", null, utf8("x"))).channel().value());
    }

    @Test
    void headersAndThePartitionCanNameTheChannel() throws Exception {
        RecordMapping.Message message = mapping.map(record("sensors", null, utf8("1"), new RecordHeader("site", utf8("plant-7"))));
        assertEquals("plant-7.3", message.channel().value());
    }

    @Test
    void aRecordThatCannotBeAMessageIsRefusedWithItsReason() {
        assertTrue(unfit(record("orders", null, utf8("1"))).contains("the record has no key, which the channel template order:{key} needs"));
        assertTrue(unfit(record("orders", "a b", utf8("1"))).contains("its channel from order:{key} is not valid"));
        assertTrue(unfit(record("sensors", null, utf8("1"))).contains("no header site"));
        assertTrue(unfit(record("orders", "1", null)).contains("tombstone"));
        assertTrue(unfit(record("orders", "1", utf8("null"))).contains("JSON null"));
        assertTrue(unfit(record("orders", "1", new byte[] {(byte) 0xc3, (byte) 0x28})).contains("neither JSON nor UTF-8 text"));
    }

    private String unfit(ConsumerRecord<byte[], byte[]> record) {
        return assertThrows(RecordMapping.Unfit.class, () -> mapping.map(record)).getMessage();
    }

    @Test
    void theProducerIsIdempotentAndWaitsForEveryReplicaAndTheSaslPasswordIsQuotedForJaas() {
        KafkaClients clients = new KafkaClients(ConfigLoader.load(ConfigSource.flags(Map.of(Setting.BRIDGES, "kafka",
                Setting.KAFKA_BOOTSTRAP_SERVERS, "k:9092", Setting.KAFKA_OUT_CHANNELS, "x", Setting.KAFKA_OUT_TOPIC, "o",
                Setting.KAFKA_SECURITY_PROTOCOL, "SASL_SSL", Setting.KAFKA_SASL_USERNAME, "duplex",
                Setting.KAFKA_SASL_PASSWORD, "pa\"ss\\word"))).kafka(), "abc123");
        Properties producer = clients.producer();
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("duplex-out-abc123", producer.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"duplex\" "
                + "password=\"pa\\\"ss\\\\word\";", producer.get("sasl.jaas.config"));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
    }
}
