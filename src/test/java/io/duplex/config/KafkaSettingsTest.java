package io.duplex.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Kafka bridge's settings: what they accept, and the one line each mistake gets before anything starts. */
class KafkaSettingsTest {

    private static DuplexConfig load(String... keyValues) {
        Map<Setting, String> flags = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(Setting.byName(keyValues[i]), keyValues[i + 1]);
        }
        return ConfigLoader.load(ConfigSource.flags(flags));
    }

    private static List<String> problems(String... keyValues) {
        return assertThrows(ConfigException.class, () -> load(keyValues)).problems();
    }

    private static final String[] BRIDGE = {"bridges", "kafka", "kafka.bootstrap.servers", "k1:9092,[::1]:9093"};

    private static String[] with(String... more) {
        String[] all = new String[BRIDGE.length + more.length];
        System.arraycopy(BRIDGE, 0, all, 0, BRIDGE.length);
        System.arraycopy(more, 0, all, BRIDGE.length, more.length);
        return all;
    }

    @Test
    void aBridgeWithTopicsAndRoutesIsReadAsWritten() {
        DuplexConfig config = load(with("kafka.in.topics", "orders.status,alerts", "kafka.in.channels",
                "orders.status=order:{key},*={topic}", "kafka.out.channels", "chat:*,news", "kafka.out.topic", "duplex.out",
                "kafka.out.unavailable", "buffer"));
        DuplexConfig.Kafka kafka = config.kafka();
        assertEquals(List.of("kafka"), config.bridges());
        assertEquals(List.of("k1:9092", "[::1]:9093"), kafka.bootstrapServers());
        assertEquals("order:{key}", kafka.route("orders.status").orElseThrow().template().toString());
        assertEquals("{topic}", kafka.route("alerts").orElseThrow().template().toString());
        assertTrue(kafka.outBuffered());
        assertTrue(kafka.inbound() && kafka.outbound());
        assertEquals("duplex", kafka.groupId());
        assertEquals("PLAINTEXT", kafka.securityProtocol());
    }

    @Test
    void noBridgeRunsByDefault() {
        DuplexConfig config = ConfigLoader.load();
        assertTrue(config.bridges().isEmpty());
        assertFalse(config.kafka().inbound() || config.kafka().outbound());
    }

    @Test
    void aRequiredBridgeIsOneThatRuns() {
        assertEquals(List.of("kafka"), load(with("kafka.in.topics", "t", "bridges.required", "kafka")).bridgesRequired());
        assertEquals(List.of(), load(with("kafka.in.topics", "t")).bridgesRequired(), "by default no bridge is required");
        assertEquals(List.of("bridges.required names kafka, which bridges does not run: add it to bridges (--bridges kafka), "
                + "or remove it from bridges.required"), problems("bridges.required", "kafka"));
        assertTrue(problems(with("kafka.in.topics", "t", "bridges.required", "rabbitmq")).get(0)
                .startsWith("bridges.required = 'rabbitmq' (from --bridges-required) is not valid"));
    }

    @Test
    void badAddressesTopicsAndMappingsAreEachNamed() {
        assertEquals(List.of("kafka.bootstrap.servers = 'localhost' (from --kafka-bootstrap-servers) is not valid: expected "
                + "comma-separated host:port pairs, e.g. kafka1:9092,kafka2:9092 ('localhost' is not host:port)"),
                problems("bridges", "kafka", "kafka.bootstrap.servers", "localhost", "kafka.in.topics", "t"));
        assertTrue(problems(with("kafka.bootstrap.servers", "k:99999", "kafka.in.topics", "t")).get(0)
                .contains("the port of 'k:99999' is not from 1 to 65535"));
        assertTrue(problems(with("kafka.in.topics", "good,bad topic")).get(0).contains("'bad topic' is not a topic name Kafka allows"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.in.channels", "t=order:{nope}")).get(0)
                .contains("has the placeholder {nope}; known are {header:NAME}, {key}, {partition}, {topic}"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.in.channels", "t=orders/{key}")).get(0)
                .contains("has '/' at position 7, which a channel name cannot hold"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.in.channels", "t=order:{key")).get(0).contains("is not closed"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.in.channels", "order:{key}")).get(0)
                .contains("'order:{key}' is not TOPIC=TEMPLATE"));
        assertTrue(problems(with("kafka.in.pattern", "orders.(")).get(0).contains("Unclosed group"));
        assertTrue(problems(with("kafka.out.channels", "chat/*", "kafka.out.topic", "o")).get(0).contains("has '/' at position 5"));
    }

    @Test
    void settingsThatMakeNoSenseTogetherAreRefused() {
        assertEquals(List.of("bridges=kafka needs kafka.bootstrap.servers (the Kafka cluster, host:port,...)"),
                problems("bridges", "kafka", "kafka.in.topics", "t"));
        assertTrue(problems(BRIDGE).get(0).startsWith("bridges=kafka has nothing to do"));
        assertTrue(problems("kafka.bootstrap.servers", "k:9092").get(0).contains("add bridges=kafka"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.in.pattern", "t.*")).get(0).contains("not both"));
        assertTrue(problems(with("kafka.out.channels", "x")).get(0).contains("without kafka.out.topic"));
        assertTrue(problems(with("kafka.in.topics", "a,b", "kafka.in.channels", "a=x")).get(0)
                .startsWith("kafka.in.topics names b, which kafka.in.channels gives no channel"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.security.protocol", "SASL_SSL")).get(0)
                .contains("needs kafka.sasl.username and kafka.sasl.password"));
        assertTrue(problems(with("kafka.in.topics", "t", "kafka.ssl.truststore", "ca.pem")).get(0).contains("use SSL or SASL_SSL"));
    }

    @Test
    void theSaslPasswordIsNeverShown() {
        List<String> problems = problems(with("kafka.in.topics", "t", "kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism",
                "GSSAPI", "kafka.sasl.password", "hunter2-hunter2"));
        assertTrue(problems.stream().noneMatch(p -> p.contains("hunter2")), problems::toString);
        DuplexConfig config = load(with("kafka.in.topics", "t", "kafka.security.protocol", "sasl_ssl", "kafka.sasl.mechanism",
                "scram-sha-512", "kafka.sasl.username", "duplex", "kafka.sasl.password", "hunter2-hunter2"));
        assertEquals("SCRAM-SHA-512", config.kafka().saslMechanism());
        assertFalse(config.toString().contains("hunter2"), "a Secret prints as (secret)");
    }

    @Test
    void aTemplateRendersItsPlaceholdersAndAPatternMatchesWholeNames() {
        ChannelTemplate template = ChannelTemplate.parse("t.{topic}:{header:region}-{key}", Set.of("topic", "key", "header:"));
        assertEquals("t.orders:eu-42", template.render(part -> switch (part.name()) {
            case "topic" -> "orders";
            case "key" -> "42";
            default -> part.argument().equals("region") ? "eu" : "?";
        }));
        assertFalse(template.fixed());
        assertTrue(ChannelTemplate.parse("alerts", Set.of()).fixed());
        ChannelPattern pattern = new ChannelPattern("chat.*.events");
        assertTrue(pattern.matches("chat.room1.events"));
        assertFalse(pattern.matches("chat.room1.events.old"));
        assertTrue(new ChannelPattern("*").matches("anything:at@all"));
        assertTrue(new ChannelPattern("news").matches("news"));
        assertFalse(new ChannelPattern("news").matches("newsroom"));
    }
}
