package io.duplex.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The resolved, validated configuration of one Duplex node. What each value means, its default and what
 * happens when it is hit is documented once, on {@link Setting}.
 */
public record DuplexConfig(
        Optional<String> configFile,
        Mode mode,
        String host,
        int port,
        Path dataDir,
        Tls tls,
        String engine,
        int historySize,
        Duration historyTtl,
        int historyPageMax,
        int messageMaxBytes,
        Duration publishIdempotencyWindow,
        int batchMaxMessages,
        int batchMaxBytes,
        int frameMaxBytes,
        int outboundQueueMessages,
        long outboundQueueBytes,
        Duration outboundSendTimeout,
        int subscriptionsMax,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration connectTimeout,
        Auth auth,
        Limits limits,
        Duration shutdownTimeout,
        String logLevel,
        RedisUri redisUri,
        Duration presenceTtl,
        List<String> bridges,
        List<String> bridgesRequired,
        Kafka kafka,
        Mqtt mqtt,
        Management management,
        boolean wsNativeApi,
        Sse sse,
        Stomp stomp,
        Pusher pusher) {

    /** The configuration with every setting at its default. */
    public static DuplexConfig defaults() {
        return ConfigLoader.load();
    }

    /** How the embedded server speaks TLS and HTTP/2, and whether it trusts a proxy's forwarded headers. */
    public record Tls(Optional<Path> keystore, Optional<Path> key, Optional<Secret> password, boolean dev, boolean h2c,
            boolean proxyTrusted) {

        /** Whether the embedded server serves https:// and wss://. */
        public boolean enabled() {
            return keystore.isPresent() || dev;
        }
    }

    /** Who may connect and call the API, and what they may do. */
    public record Auth(Optional<Secret> hmacSecret, Optional<Path> publicKey, Optional<Path> jwks, Optional<String> issuer,
            Optional<String> audience, Duration refreshBefore, List<Secret> apiKeys, boolean readOpen,
            List<String> publicNamespaces, Optional<List<String>> origins) {

        /** Whether connection tokens are verified (a key to verify them with is configured). */
        public boolean tokens() {
            return hmacSecret.isPresent() || publicKey.isPresent() || jwks.isPresent();
        }

        /** Whether the REST API asks for credentials: an API key or a token key is configured. */
        public boolean api() {
            return tokens() || !apiKeys.isEmpty();
        }
    }

    /**
     * How the node is watched and stopped: who may read {@code /metrics}, the embedded server's management port (empty
     * when none), and how long a stop drains before the sessions are closed.
     */
    public record Management(MetricsAccess metricsAccess, Optional<Integer> port, String host, Duration drain) {
    }

    /** Who may read {@code /metrics} (setting {@code metrics.access}). */
    public enum MetricsAccess {
        /** Callers with an API key or an admin token; anyone while the REST API asks for no credentials. */
        API_KEY,
        /** Anyone who reaches the path. */
        OPEN,
        /** Not served. */
        OFF;

        static MetricsAccess of(String label) {
            return valueOf(label.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The Server-Sent Events door: how often an idle stream hears a comment, and the reconnection delay it advises. */
    public record Sse(Duration heartbeatInterval, Duration retry) {
    }

    /** The STOMP door's limits on a client's frames ({@code /stomp}). */
    public record Stomp(int headersMax, int headerMaxBytes) {
    }

    /** Limits against abuse, per connection, user and client address. */
    public record Limits(int connectionsPerUser, int publishRate, int handshakeRate, boolean compression) {
    }

    /**
     * The Pusher Channels door (docs/protocols.md): its apps, and the limits of the client events of one connection.
     */
    public record Pusher(List<PusherApp> apps, int clientEventRate, int clientEventMaxBytes) {

        /** The app clients connect to with this key. */
        public Optional<PusherApp> appByKey(String key) {
            return apps.stream().filter(a -> a.key().equals(key)).findFirst();
        }

        /** The app the HTTP API names by this id. */
        public Optional<PusherApp> appById(String id) {
            return apps.stream().filter(a -> a.id().equals(id)).findFirst();
        }
    }

    /**
     * The Kafka bridge (bridges=kafka): where Kafka is, what comes in (topics or a pattern, and the route of each topic to
     * its channel) and what goes out (channel patterns to one topic), how to behave while Kafka is away, and security.
     */
    public record Kafka(List<String> bootstrapServers, String groupId, List<String> inTopics, Optional<Pattern> inPattern,
            List<TopicRoute> inChannels, boolean inFromEarliest, List<ChannelPattern> outChannels, Optional<String> outTopic, boolean outBuffered,
            long outBuffer, Duration outTimeout, Duration sessionTimeout, Duration connectTimeout, String securityProtocol,
            String saslMechanism, Optional<String> saslUsername, Optional<Secret> saslPassword, Optional<Path> truststore,
            Optional<Secret> truststorePassword, Optional<Path> keystore, Optional<Secret> keystorePassword,
            Optional<Path> properties) {

        /** Whether records of Kafka topics are published to channels. */
        public boolean inbound() {
            return !inTopics.isEmpty() || inPattern.isPresent();
        }

        /** Whether channel messages are produced to Kafka. */
        public boolean outbound() {
            return !outChannels.isEmpty();
        }

        /** The route of a topic's records: its own, else the one for every topic ({@code *}), else none. */
        public Optional<TopicRoute> route(String topic) {
            Optional<TopicRoute> own = inChannels.stream().filter(r -> r.topic().equals(topic)).findFirst();
            return own.isPresent() ? own : inChannels.stream().filter(r -> r.topic().equals(TopicRoute.ANY_TOPIC)).findFirst();
        }
    }

    /**
     * The MQTT bridge (bridges=mqtt): where the broker is and how to log in, this node's session, what comes in (topic
     * filters and the route of each topic to its channel) and what goes out (channel patterns to a topic template).
     */
    public record Mqtt(Optional<MqttAddress> address, boolean v5, Optional<String> clientId, Optional<String> username,
            Optional<Secret> password, Optional<Path> truststore, Optional<Secret> truststorePassword, Duration sessionExpiry,
            Duration connectTimeout, List<TopicFilter> inFilters, List<MqttRoute> inChannels, String inGroup,
            MqttIdSource inId, List<ChannelPattern> outChannels, TopicTemplate outTopic, int outQos, boolean outRetain,
            boolean outWholeMessage, boolean outBuffered, long outBuffer, Duration outTimeout) {

        /** Whether messages of MQTT topics are published to channels. */
        public boolean inbound() {
            return !inFilters.isEmpty();
        }

        /** Whether channel messages are published to MQTT. */
        public boolean outbound() {
            return !outChannels.isEmpty();
        }

        /** The route of a topic's messages: the first whose filter matches it, or none. */
        public Optional<MqttRoute> route(String topic) {
            return inChannels.stream().filter(r -> r.matches(topic)).findFirst();
        }
    }
}
