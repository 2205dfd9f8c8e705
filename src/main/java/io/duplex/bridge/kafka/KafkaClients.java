package io.duplex.bridge.kafka;

import io.duplex.bridge.BridgeException;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The Kafka client settings of the bridge's consumer, producer and admin client, made from Duplex's settings: the
 * operator's kafka.properties first, then what Duplex decides (delivery guarantees) and the security settings over them.
 * The properties hold secrets (the SASL password, store passwords): they are handed to Kafka's clients, never logged.
 */
final class KafkaClients {
    private static final int LINGER_MS = 5;

    private final DuplexConfig.Kafka kafka;
    private final Properties operator;
    private final String instance;

    /** {@code instance} sets this node's client ids apart from the other nodes' ({@code duplex-in-3fa2c1}). */
    KafkaClients(DuplexConfig.Kafka kafka, String instance) {
        this.kafka = kafka;
        this.instance = instance;
        this.operator = kafka.properties().map(KafkaClients::load).orElseGet(Properties::new);
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new BridgeException("kafka.properties: " + file + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        return properties;
    }

    /** Settings every client shares: where Kafka is and how to talk to it securely. */
    private Properties common(String role) {
        Properties p = new Properties();
        p.putAll(operator);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.bootstrapServers()));
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, kafka.groupId() + "-" + role + "-" + instance);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka.securityProtocol());
        if (kafka.securityProtocol().startsWith("SASL_")) {
            p.put(SaslConfigs.SASL_MECHANISM, kafka.saslMechanism());
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(kafka.saslMechanism(), kafka.saslUsername().orElseThrow(),
                    kafka.saslPassword().orElseThrow()));
        }
        kafka.truststore().ifPresent(store -> {
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, store.toString());
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, storeType(store));
            kafka.truststorePassword().ifPresent(secret -> p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, secret.value()));
        });
        kafka.keystore().ifPresent(store -> {
            p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, store.toString());
            p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, storeType(store));
            kafka.keystorePassword().ifPresent(secret -> {
                p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, secret.value());
                p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, secret.value());
            });
        });
        return p;
    }

    /** The JAAS line of a user name and password login, quoted as JAAS reads it. */
    static String jaas(String mechanism, String user, Secret password) {
        String module = mechanism.startsWith("SCRAM")
                ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                : "org.apache.kafka.common.security.plain.PlainLoginModule";
        return module + " required username=\"" + quote(user) + "\" password=\"" + quote(password.value()) + "\";";
    }

    private static String quote(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String storeType(Path store) {
        String name = store.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return "PKCS12";
        }
        if (name.endsWith(".jks")) {
            return "JKS";
        }
        return "PEM";
    }

    Properties admin() {
        Properties p = common("admin");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return p;
    }

    /**
     * The consumer of the inbound side: the shared group, offsets committed by the bridge only after Duplex accepted the
     * records (never automatically). Keys and values stay bytes (the bridge decides what a value means): the consumer is
     * given its deserializers as objects, not class names a container's class loader would have to find.
     */
    Properties consumer() {
        Properties p = common("in");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, kafka.inFromEarliest() ? "earliest" : "latest");
        int session = Math.toIntExact(kafka.sessionTimeout().toMillis());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 3));
        p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return p;
    }

    /**
     * The producer of the outbound side: idempotent, acknowledged by every in-sync replica, in order per channel (the
     * key), retrying until kafka.out.timeout; the bridge's own buffer bounds what waits, so the producer's never blocks.
     */
    Properties producer() {
        Properties p = common("out");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        int timeout = Math.toIntExact(Math.min(Integer.MAX_VALUE, kafka.outTimeout().toMillis()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        // Kafka wants delivery.timeout.ms >= linger.ms + request.timeout.ms.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, Math.min(30_000, timeout - LINGER_MS)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // Only a send before Kafka was ever reached waits (for the topic's metadata): briefly, and the bridge tries again.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, kafka.outBuffer() + 1024 * 1024);
        return p;
    }

    /** The cluster as a log line may name it: the bootstrap servers (no credentials ever live there). */
    String servers() {
        return String.join(",", kafka.bootstrapServers());
    }

}
