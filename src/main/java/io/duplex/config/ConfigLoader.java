package io.duplex.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Resolves every {@link Setting} from the given sources (first that sets it wins), then from the properties
 * file named by {@code config}, then from its default; validates all of them and reports every problem at once.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static DuplexConfig load(ConfigSource... sources) {
        List<ConfigSource> ordered = new ArrayList<>(Arrays.asList(sources));
        List<String> problems = new ArrayList<>();

        String file = raw(Setting.CONFIG, ordered);
        if (file != null) {
            try {
                ordered.add(propertiesFile(Path.of(file.trim()), problems));
            } catch (IllegalArgumentException e) {
                problems.add("config file '" + file + "': " + e.getMessage());
            }
        }

        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String origin = "default";
            String text = setting.defaultValue();
            for (ConfigSource source : ordered) {
                String candidate = source.get(setting);
                if (candidate != null) {
                    text = candidate;
                    origin = source.origin(setting);
                    break;
                }
            }
            if (text == null) {
                continue;
            }
            try {
                values.put(setting, setting.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(setting.key() + " = " + setting.shown(text) + " (from " + origin + ") is not valid: expected " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }

        DuplexConfig config = new DuplexConfig(
                Optional.ofNullable((String) values.get(Setting.CONFIG)),
                Mode.valueOf(((String) values.get(Setting.MODE)).toUpperCase(java.util.Locale.ROOT)),
                (String) values.get(Setting.HOST),
                (Integer) values.get(Setting.PORT),
                directory((String) values.get(Setting.DATA_DIR)),
                new DuplexConfig.Tls(
                        path(values.get(Setting.TLS_KEYSTORE)),
                        path(values.get(Setting.TLS_KEY)),
                        Optional.ofNullable((Secret) values.get(Setting.TLS_PASSWORD)),
                        (Boolean) values.get(Setting.DEV_TLS),
                        (Boolean) values.get(Setting.H2C),
                        (Boolean) values.get(Setting.PROXY_TRUSTED)),
                (String) values.get(Setting.ENGINE),
                (Integer) values.get(Setting.HISTORY_SIZE),
                (Duration) values.get(Setting.HISTORY_TTL),
                (Integer) values.get(Setting.HISTORY_PAGE_MAX),
                Math.toIntExact((Long) values.get(Setting.MESSAGE_MAX_BYTES)),
                (Duration) values.get(Setting.PUBLISH_IDEMPOTENCY_WINDOW),
                (Integer) values.get(Setting.BATCH_MAX_MESSAGES),
                Math.toIntExact((Long) values.get(Setting.BATCH_MAX_BYTES)),
                Math.toIntExact((Long) values.get(Setting.FRAME_MAX_BYTES)),
                (Integer) values.get(Setting.OUTBOUND_QUEUE_MESSAGES),
                (Long) values.get(Setting.OUTBOUND_QUEUE_BYTES),
                (Duration) values.get(Setting.OUTBOUND_SEND_TIMEOUT),
                (Integer) values.get(Setting.SUBSCRIPTIONS_MAX),
                (Duration) values.get(Setting.HEARTBEAT_INTERVAL),
                (Duration) values.get(Setting.HEARTBEAT_TIMEOUT),
                (Duration) values.get(Setting.CONNECT_TIMEOUT),
                new DuplexConfig.Auth(
                        Optional.ofNullable((Secret) values.get(Setting.TOKEN_HMAC_SECRET)),
                        path(values.get(Setting.TOKEN_PUBLIC_KEY)),
                        path(values.get(Setting.TOKEN_JWKS)),
                        Optional.ofNullable((String) values.get(Setting.TOKEN_ISSUER)),
                        Optional.ofNullable((String) values.get(Setting.TOKEN_AUDIENCE)),
                        (Duration) values.get(Setting.TOKEN_REFRESH_BEFORE),
                        values.containsKey(Setting.API_KEY) ? castList(values.get(Setting.API_KEY)) : List.of(),
                        (Boolean) values.get(Setting.API_READ_OPEN),
                        castList(values.get(Setting.CHANNELS_PUBLIC)),
                        Optional.ofNullable(values.containsKey(Setting.ORIGINS) ? castList(values.get(Setting.ORIGINS)) : null)),
                new DuplexConfig.Limits(
                        (Integer) values.get(Setting.CONNECTIONS_PER_USER),
                        (Integer) values.get(Setting.PUBLISH_RATE),
                        (Integer) values.get(Setting.HANDSHAKE_RATE),
                        (Boolean) values.get(Setting.WS_COMPRESSION)),
                (Duration) values.get(Setting.SHUTDOWN_TIMEOUT),
                (String) values.get(Setting.LOG_LEVEL),
                (RedisUri) values.get(Setting.REDIS_URI),
                (Duration) values.get(Setting.PRESENCE_TTL),
                castList(values.get(Setting.BRIDGES)),
                castList(values.get(Setting.BRIDGES_REQUIRED)),
                kafka(values),
                mqtt(values),
                management(values),
                "native".equals(values.get(Setting.WS_API)),
                new DuplexConfig.Sse((Duration) values.get(Setting.SSE_HEARTBEAT_INTERVAL), (Duration) values.get(Setting.SSE_RETRY)),
                new DuplexConfig.Stomp(
                        (Integer) values.get(Setting.STOMP_HEADERS_MAX),
                        Math.toIntExact((Long) values.get(Setting.STOMP_HEADER_MAX_BYTES))),
                new DuplexConfig.Pusher(
                        values.containsKey(Setting.PUSHER_APPS) ? castList(values.get(Setting.PUSHER_APPS)) : List.of(),
                        (Integer) values.get(Setting.PUSHER_CLIENT_EVENTS_RATE),
                        Math.toIntExact((Long) values.get(Setting.PUSHER_CLIENT_EVENT_MAX_BYTES))));
        checkConsistency(config);
        return config;
    }

    private static DuplexConfig.Kafka kafka(Map<Setting, Object> values) {
        return new DuplexConfig.Kafka(
                values.containsKey(Setting.KAFKA_BOOTSTRAP_SERVERS) ? castList(values.get(Setting.KAFKA_BOOTSTRAP_SERVERS)) : List.of(),
                (String) values.get(Setting.KAFKA_GROUP_ID),
                values.containsKey(Setting.KAFKA_IN_TOPICS) ? castList(values.get(Setting.KAFKA_IN_TOPICS)) : List.of(),
                Optional.ofNullable((Pattern) values.get(Setting.KAFKA_IN_PATTERN)),
                castList(values.get(Setting.KAFKA_IN_CHANNELS)),
                "earliest".equals(values.get(Setting.KAFKA_IN_FROM)),
                values.containsKey(Setting.KAFKA_OUT_CHANNELS) ? castList(values.get(Setting.KAFKA_OUT_CHANNELS)) : List.of(),
                Optional.ofNullable((String) values.get(Setting.KAFKA_OUT_TOPIC)),
                "buffer".equals(values.get(Setting.KAFKA_OUT_UNAVAILABLE)),
                (Long) values.get(Setting.KAFKA_OUT_BUFFER),
                (Duration) values.get(Setting.KAFKA_OUT_TIMEOUT),
                (Duration) values.get(Setting.KAFKA_SESSION_TIMEOUT),
                (Duration) values.get(Setting.KAFKA_CONNECT_TIMEOUT),
                ((String) values.get(Setting.KAFKA_SECURITY_PROTOCOL)).toUpperCase(java.util.Locale.ROOT),
                (String) values.get(Setting.KAFKA_SASL_MECHANISM),
                Optional.ofNullable((String) values.get(Setting.KAFKA_SASL_USERNAME)),
                Optional.ofNullable((Secret) values.get(Setting.KAFKA_SASL_PASSWORD)),
                path(values.get(Setting.KAFKA_SSL_TRUSTSTORE)),
                Optional.ofNullable((Secret) values.get(Setting.KAFKA_SSL_TRUSTSTORE_PASSWORD)),
                path(values.get(Setting.KAFKA_SSL_KEYSTORE)),
                Optional.ofNullable((Secret) values.get(Setting.KAFKA_SSL_KEYSTORE_PASSWORD)),
                path(values.get(Setting.KAFKA_PROPERTIES)));
    }

    private static DuplexConfig.Mqtt mqtt(Map<Setting, Object> values) {
        return new DuplexConfig.Mqtt(
                Optional.ofNullable((MqttAddress) values.get(Setting.MQTT_URI)),
                "5".equals(values.get(Setting.MQTT_VERSION)),
                Optional.ofNullable((String) values.get(Setting.MQTT_CLIENT_ID)),
                Optional.ofNullable((String) values.get(Setting.MQTT_USERNAME)),
                Optional.ofNullable((Secret) values.get(Setting.MQTT_PASSWORD)),
                path(values.get(Setting.MQTT_SSL_TRUSTSTORE)),
                Optional.ofNullable((Secret) values.get(Setting.MQTT_SSL_TRUSTSTORE_PASSWORD)),
                (Duration) values.get(Setting.MQTT_SESSION_EXPIRY),
                (Duration) values.get(Setting.MQTT_CONNECT_TIMEOUT),
                values.containsKey(Setting.MQTT_IN_FILTERS) ? castList(values.get(Setting.MQTT_IN_FILTERS)) : List.of(),
                castList(values.get(Setting.MQTT_IN_CHANNELS)),
                (String) values.get(Setting.MQTT_IN_GROUP),
                (MqttIdSource) values.get(Setting.MQTT_IN_ID),
                values.containsKey(Setting.MQTT_OUT_CHANNELS) ? castList(values.get(Setting.MQTT_OUT_CHANNELS)) : List.of(),
                (TopicTemplate) values.get(Setting.MQTT_OUT_TOPIC),
                Integer.parseInt((String) values.get(Setting.MQTT_OUT_QOS)),
                (Boolean) values.get(Setting.MQTT_OUT_RETAIN),
                "message".equals(values.get(Setting.MQTT_OUT_PAYLOAD)),
                "buffer".equals(values.get(Setting.MQTT_OUT_UNAVAILABLE)),
                (Long) values.get(Setting.MQTT_OUT_BUFFER),
                (Duration) values.get(Setting.MQTT_OUT_TIMEOUT));
    }

    /** The MQTT settings that make no sense together, when the bridge runs. */
    private static void checkMqtt(DuplexConfig config, List<String> problems) {
        DuplexConfig.Mqtt mqtt = config.mqtt();
        if (!config.bridges().contains("mqtt")) {
            if (mqtt.address().isPresent() || mqtt.inbound() || mqtt.outbound()) {
                problems.add("mqtt.* settings are set but bridges does not name mqtt: add bridges=mqtt (--bridges mqtt) to "
                        + "run the MQTT bridge");
            }
            return;
        }
        if (mqtt.address().isEmpty()) {
            problems.add("bridges=mqtt needs mqtt.uri (the broker, mqtt://host:port or mqtts://host:port)");
        }
        if (!mqtt.inbound() && !mqtt.outbound()) {
            problems.add("bridges=mqtt has nothing to do: set mqtt.in.filters for MQTT → channels, and/or mqtt.out.channels "
                    + "for channels → MQTT");
        }
        for (TopicFilter filter : mqtt.inFilters()) {
            boolean covered = mqtt.inChannels().stream().anyMatch(r -> r.filter() == null || r.filter().covers(filter));
            if (!covered) {
                problems.add("mqtt.in.filters names " + filter + ", which no route of mqtt.in.channels covers whole: add "
                        + filter + "=TEMPLATE or *=TEMPLATE to mqtt.in.channels");
            }
        }
        if (!mqtt.v5() && mqtt.inbound() && mqtt.outbound()) {
            for (TopicFilter filter : mqtt.inFilters()) {
                if (filter.mayMatch(mqtt.outTopic())) {
                    problems.add("mqtt.in.filters names " + filter + ", which matches topics of mqtt.out.topic (" + mqtt.outTopic()
                            + "): with mqtt.version=3.1.1 the bridge cannot mark the messages it publishes (MQTT 5 user "
                            + "properties), so they would come back as new messages; keep the two apart (e.g. "
                            + "mqtt.out.topic=duplex/out/{channel} and filters outside duplex/out/), or use MQTT 5");
                }
            }
        }
        String group = mqtt.inGroup();
        if (group.contains("/") || group.contains("+") || group.contains("#")) {
            problems.add("mqtt.in.group = '" + group + "' is not valid: a shared subscription name cannot hold / + or #");
        }
        if (mqtt.password().isPresent() && mqtt.username().isEmpty()) {
            problems.add("mqtt.password is set without mqtt.username");
        }
        boolean tls = mqtt.address().map(MqttAddress::tls).orElse(false);
        if (!tls && (mqtt.truststore().isPresent() || mqtt.truststorePassword().isPresent())) {
            problems.add("mqtt.ssl.truststore is set but mqtt.uri is not mqtts://: use mqtts:// to speak TLS to the broker");
        }
    }

    /** The Kafka settings that make no sense together, when the bridge runs. */
    private static void checkKafka(DuplexConfig config, List<String> problems) {
        DuplexConfig.Kafka kafka = config.kafka();
        if (!config.bridges().contains("kafka")) {
            if (!kafka.bootstrapServers().isEmpty() || kafka.inbound() || kafka.outbound()) {
                problems.add("kafka.* settings are set but bridges does not name kafka: add bridges=kafka (--bridges kafka) "
                        + "to run the Kafka bridge");
            }
            return;
        }
        if (kafka.bootstrapServers().isEmpty()) {
            problems.add("bridges=kafka needs kafka.bootstrap.servers (the Kafka cluster, host:port,...)");
        }
        if (!kafka.inTopics().isEmpty() && kafka.inPattern().isPresent()) {
            problems.add("kafka.in.topics and kafka.in.pattern are both set: consume named topics or a pattern, not both");
        }
        if (!kafka.inbound() && !kafka.outbound()) {
            problems.add("bridges=kafka has nothing to do: set kafka.in.topics (or kafka.in.pattern) for Kafka → channels, "
                    + "and/or kafka.out.channels with kafka.out.topic for channels → Kafka");
        }
        if (kafka.outbound() != kafka.outTopic().isPresent()) {
            problems.add(kafka.outbound() ? "kafka.out.channels is set without kafka.out.topic, the topic to produce to"
                    : "kafka.out.topic is set without kafka.out.channels, the channels to produce");
        }
        for (String topic : kafka.inTopics()) {
            if (kafka.route(topic).isEmpty()) {
                problems.add("kafka.in.topics names " + topic + ", which kafka.in.channels gives no channel: add " + topic
                        + "=TEMPLATE or *=TEMPLATE to kafka.in.channels");
            }
        }
        if (kafka.inPattern().isPresent() && kafka.route(TopicRoute.ANY_TOPIC).isEmpty()) {
            problems.add("kafka.in.pattern needs a route for any topic it may match: add *=TEMPLATE to kafka.in.channels");
        }
        boolean sasl = kafka.securityProtocol().startsWith("SASL_");
        if (sasl && (kafka.saslUsername().isEmpty() || kafka.saslPassword().isEmpty())) {
            problems.add("kafka.security.protocol=" + kafka.securityProtocol() + " needs kafka.sasl.username and kafka.sasl.password");
        }
        if (!sasl && (kafka.saslUsername().isPresent() || kafka.saslPassword().isPresent())) {
            problems.add("kafka.sasl.username/password are set but kafka.security.protocol is " + kafka.securityProtocol()
                    + ": use SASL_SSL (or SASL_PLAINTEXT)");
        }
        boolean tls = kafka.securityProtocol().endsWith("SSL");
        if (!tls && (kafka.truststore().isPresent() || kafka.keystore().isPresent())) {
            problems.add("kafka.ssl.* is set but kafka.security.protocol is " + kafka.securityProtocol() + ": use SSL or SASL_SSL");
        }
    }

    private static DuplexConfig.Management management(Map<Setting, Object> values) {
        Duration drain = (Duration) values.get(Setting.SHUTDOWN_DRAIN);
        if (drain == null) {
            // A production node sits behind a load balancer that needs a moment to stop sending it new connections; a
            // developer's Ctrl-C should stop at once.
            drain = "production".equals(values.get(Setting.MODE)) ? Duration.ofSeconds(5) : Duration.ZERO;
        }
        return new DuplexConfig.Management(DuplexConfig.MetricsAccess.of((String) values.get(Setting.METRICS_ACCESS)),
                Optional.ofNullable((Integer) values.get(Setting.MANAGEMENT_PORT)), (String) values.get(Setting.MANAGEMENT_HOST), drain);
    }

    /** Settings that are each valid but make no sense together. */
    private static void checkConsistency(DuplexConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.frameMaxBytes() <= config.messageMaxBytes()) {
            problems.add("frame.max.bytes (" + Sizes.format(config.frameMaxBytes()) + ") must be larger than message.max.bytes ("
                    + Sizes.format(config.messageMaxBytes()) + "), to leave room for the command around the data");
        }
        if (config.outboundQueueBytes() < config.frameMaxBytes()) {
            problems.add("outbound.queue.bytes (" + Sizes.format(config.outboundQueueBytes()) + ") must be at least frame.max.bytes ("
                    + Sizes.format(config.frameMaxBytes()) + "), or one full-size message would disconnect its subscribers");
        }
        checkKafka(config, problems);
        checkMqtt(config, problems);
        for (String required : config.bridgesRequired()) {
            if (!config.bridges().contains(required)) {
                problems.add("bridges.required names " + required + ", which bridges does not run: add it to bridges (--bridges "
                        + required + "), or remove it from bridges.required");
            }
        }
        if (config.management().port().isPresent() && config.management().port().get() != 0
                && config.management().port().get() == config.port()) {
            problems.add("management.port (" + config.port() + ") is the same as port: the management port must be another one");
        }
        if (config.tls().keystore().isPresent() && config.tls().dev()) {
            problems.add("tls.keystore and dev.tls are both set: use your certificate or the self-signed one, not both");
        }
        if (config.tls().key().isPresent() && config.tls().keystore().isEmpty()) {
            problems.add("tls.key is set without tls.keystore: tls.keystore names the PEM certificate that goes with the key");
        }
        if (config.mode() == Mode.PRODUCTION) {
            List<String> missing = new ArrayList<>();
            if (!config.auth().tokens()) {
                missing.add("a token key (token.hmac.secret, token.public.key or token.jwks)");
            }
            if (config.auth().apiKeys().isEmpty()) {
                missing.add("an API key (api.key)");
            }
            if (config.tls().dev()) {
                problems.add("production mode does not accept dev.tls (a self-signed certificate): use tls.keystore, or proxy.trusted behind a TLS proxy");
            }
            if (!missing.isEmpty()) {
                problems.add("production mode needs " + String.join(" and ", missing));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> castList(Object value) {
        return (List<T>) value;
    }

    private static Optional<Path> path(Object value) {
        return Optional.ofNullable((String) value).map(Path::of);
    }

    /** A directory path; a leading {@code ~} is the user's home. */
    private static Path directory(String text) {
        if (text.equals("~") || text.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(text.equals("~") ? "" : text.substring(2));
        }
        return Path.of(text);
    }

    private static String raw(Setting setting, List<ConfigSource> sources) {
        for (ConfigSource source : sources) {
            String value = source.get(setting);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** A properties file whose keys must all be settings: a misspelt key is an error, not a silent default. */
    private static ConfigSource propertiesFile(Path path, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            problems.add("config file " + path + " does not exist");
        } catch (IOException e) {
            problems.add("config file " + path + " cannot be read: " + e.getMessage());
        }
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (String key : properties.stringPropertyNames()) {
            Setting setting = Setting.byName(key);
            if (setting == null || setting == Setting.CONFIG) {
                problems.add("config file " + path + ": unknown setting '" + key + "'");
            } else {
                values.put(setting, properties.getProperty(key));
            }
        }
        return new ConfigSource() {
            @Override
            public String get(Setting setting) {
                return values.get(setting);
            }

            @Override
            public String origin(Setting setting) {
                return path + " key " + setting.key();
            }
        };
    }
}
