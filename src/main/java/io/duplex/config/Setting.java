package io.duplex.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Every setting of Duplex, with its default and what happens when its limit is hit: the one place where
 * configuration is documented ({@code --help} and docs/configuration.md are generated from it).
 *
 * <p>A setting named {@code history.size} is read, highest precedence first, from the command-line flag
 * {@code --history-size}, the servlet context parameter or system property {@code duplex.history.size},
 * the environment variable {@code DUPLEX_HISTORY_SIZE}, and the key {@code history.size} of the
 * properties file named by {@code config}.
 */
public enum Setting {
    CONFIG("config", null, ValueType.text("a path to a properties file"),
            "Properties file with more settings (keys as named here, e.g. history.size=500). Optional."),
    MODE("mode", "dev", ValueType.oneOf("dev", "production"),
            "dev: no authentication needed, plain ws:// allowed, a warning at start. production: refuses to start "
                    + "without TLS (or proxy.trusted), a token key and an API key, and refuses plain-HTTP requests."),
    HOST("host", "127.0.0.1", ValueType.text("a host name or IP address"),
            "Address the embedded server binds. 0.0.0.0 accepts connections from other machines. Embedded server only."),
    PORT("port", "8080", ValueType.integer(0, 65535),
            "HTTP port of the embedded server; 0 picks a free port. Embedded server only."),
    DATA_DIR("data.dir", "~/.duplex", ValueType.text("a directory path"),
            "Where the node keeps files it makes itself: the --dev-tls certificate. Embedded server only."),
    TLS_KEYSTORE("tls.keystore", null, ValueType.text("a path to a .p12/.pfx keystore or a PEM certificate file"),
            "Serves https:// and wss:// (and HTTP/2) with this certificate: a PKCS12 keystore, or a PEM file with the "
                    + "certificate chain (then tls.key names the PEM private key). Embedded server only."),
    TLS_KEY("tls.key", null, ValueType.text("a path to a PEM private key file"),
            "The PEM private key for a PEM tls.keystore (PKCS#8, PKCS#1 or SEC1; encrypted with tls.password or not)."),
    TLS_PASSWORD("tls.password", null, ValueType.secret("a password", 1),
            "Password of the tls.keystore (or of an encrypted tls.key). A secret: never logged."),
    DEV_TLS("dev.tls", "false", ValueType.bool(),
            "Serves https:// and wss:// with a self-signed certificate for localhost, made on first start and kept "
                    + "in data.dir. For development: clients must be told to trust it. Embedded server only."),
    H2C("h2c", "false", ValueType.bool(),
            "Also serves plain-text HTTP/2 (h2c, upgrade and prior knowledge) when TLS is off. Embedded server only."),
    PROXY_TRUSTED("proxy.trusted", "false", ValueType.bool(),
            "Trusts X-Forwarded-Proto/-For/-Host and Forwarded headers: the client address, scheme and host are "
                    + "taken from them (Forwarded wins). Turn on only behind a proxy that sets them (never appends) and "
                    + "clears Forwarded. Embedded server only."),
    ENGINE("engine", "memory", ValueType.oneOf("memory", "redis"),
            "Engine that carries messages and history. memory: one node, history kept in this process. redis: several "
                    + "nodes share channels, history (Redis Streams) and presence through the Redis at redis.uri "
                    + "(docs/scaling.md)."),
    REDIS_URI("redis.uri", "redis://127.0.0.1:6379", ValueType.redisUri(),
            "The Redis of engine=redis (6.2 or newer): redis://, rediss:// (TLS) or redis-sentinel://…#master. A password "
                    + "in it is never logged. Commands time out after 2 s (?timeout=… in the URI changes it); while Redis "
                    + "is unreachable publishes and reads answer engine_unavailable and /api/health answers 503."),
    PRESENCE_TTL("presence.ttl", "15s", ValueType.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
            "With engine=redis: how long a node's presence entries outlive it. Each node refreshes its entries every "
                    + "third of this, so the sessions of a node that dies leave presence within it."),
    HISTORY_SIZE("history.size", "1000", ValueType.integer(0, 1_000_000),
            "Messages kept per channel for recovery and REST history; older ones are dropped. 0 keeps none."),
    HISTORY_TTL("history.ttl", "10m", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(30)),
            "How long a message is kept in history. A client away longer is told recovered:false."),
    HISTORY_PAGE_MAX("history.page.max", "1000", ValueType.integer(1, 100_000),
            "Largest `limit` a REST history request may ask for; more is answered 400 bad_request."),
    MESSAGE_MAX_BYTES("message.max.bytes", "64KiB", ValueType.size(16, 64L * 1024 * 1024),
            "Largest `data` of one message, as compact JSON in UTF-8. More is refused: too_large (REST 413)."),
    PUBLISH_IDEMPOTENCY_WINDOW("publish.idempotency.window", "10m", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(7)),
            "How long an idempotency key (REST Idempotency-Key, WebSocket idempotencyKey) is remembered. A publish repeated "
                    + "with the same key within it is answered with the first one's offset and not delivered again; after "
                    + "it, the key is new. The engine keeps each key for this long (about 250 bytes each)."),
    BATCH_MAX_MESSAGES("batch.max.messages", "1000", ValueType.integer(1, 100_000),
            "Most messages one batch publish (POST /api/messages) may carry. More: the batch is refused whole with 413 too_large."),
    BATCH_MAX_BYTES("batch.max.bytes", "1MiB", ValueType.size(1024, 256L * 1024 * 1024),
            "Largest body of a batch publish (POST /api/messages). Larger: refused whole with 413 too_large. Each message's "
                    + "data is also held to message.max.bytes."),
    FRAME_MAX_BYTES("frame.max.bytes", "128KiB", ValueType.size(256, 128L * 1024 * 1024),
            "Largest WebSocket text frame a client may send. A larger one closes the connection with 1009."),
    OUTBOUND_QUEUE_MESSAGES("outbound.queue.messages", "2000", ValueType.integer(2, 10_000_000),
            "Frames waiting to be sent to one session. A session over it is disconnected with 4002, alone. "
                    + "A recovery of more than half of it is answered recovered:false."),
    OUTBOUND_QUEUE_BYTES("outbound.queue.bytes", "4MiB", ValueType.size(1024, 1024L * 1024 * 1024),
            "Bytes waiting to be sent to one session. A session over it is disconnected with 4002, alone. "
                    + "A recovery of more than half of it is answered recovered:false."),
    OUTBOUND_SEND_TIMEOUT("outbound.send.timeout", "10s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "Longest time one frame may take to be written to a session. Longer: disconnected with 4002."),
    SUBSCRIPTIONS_MAX("subscriptions.max", "256", ValueType.integer(1, 1_000_000),
            "Channels one session may be subscribed to at once. One more is refused: limit_exceeded."),
    HEARTBEAT_INTERVAL("heartbeat.interval", "25s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "After this long with nothing from a client, the server sends it a WebSocket ping (each connection at a point of its own in the last quarter of it, so that clients that connected together are not pinged together)."),
    HEARTBEAT_TIMEOUT("heartbeat.timeout", "10s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "How long after the ping the client has to send anything (a pong will do). Then: closed with 4004."),
    CONNECT_TIMEOUT("connect.timeout", "10s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "Time a new connection has to send `connect`. Then: closed with 1008."),
    TOKEN_HMAC_SECRET("token.hmac.secret", null, ValueType.secret("a secret of at least 32 characters", 32),
            "Verifies connection tokens (JWT) signed with HS256/HS384/HS512 with this shared secret. A secret: never logged."),
    TOKEN_PUBLIC_KEY("token.public.key", null, ValueType.text("a path to a PEM public key or certificate"),
            "Verifies connection tokens (JWT) signed with RS256/PS256/ES256 (and stronger) with this RSA or EC public key."),
    TOKEN_JWKS("token.jwks", null, ValueType.text("a path to a JWKS (JSON Web Key Set) file"),
            "Verifies connection tokens (JWT) with the public keys of this JWK set, chosen by the token's kid."),
    TOKEN_ISSUER("token.issuer", null, ValueType.text("the expected iss claim"),
            "When set, a token must carry exactly this iss claim."),
    TOKEN_AUDIENCE("token.audience", null, ValueType.text("the expected aud claim"),
            "When set, a token's aud claim must contain this value."),
    TOKEN_REFRESH_BEFORE("token.refresh.before", "30s", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "How long before its token expires a connection is sent a refresh push. At expiry without a fresh token: closed with 4003."),
    API_KEY("api.key", null, ValueType.secrets("a key of at least 16 characters (several: comma-separated)", 16),
            "Keys that server-side callers send as `Authorization: Bearer KEY` to use the REST API. Several, "
                    + "comma-separated, allow rotation. A secret: never logged."),
    API_READ_OPEN("api.read.open", "false", ValueType.bool(),
            "Opens the read-only channel endpoints (GET /api/channels…: channels, history, presence) to callers "
                    + "without credentials. Sessions stay protected."),
    CHANNELS_PUBLIC("channels.public", "public:", ValueType.list("comma-separated channel name prefixes"),
            "Namespaces any connected client may subscribe to and read (history, presence) without a claim. Empty: none."),
    ORIGINS("origins", null, ValueType.list("comma-separated origins like https://app.example.com, or *"),
            "Web origins allowed to open WebSocket connections (against cross-site WebSocket hijacking); * allows any. "
                    + "Default: any in dev mode, only the node's own origin in production mode."),
    CONNECTIONS_PER_USER("connections.per.user", "100", ValueType.integer(1, 1_000_000),
            "Open connections one user (token sub) may have on this node. One more: limit_exceeded, closed with 1008."),
    PUBLISH_RATE("publish.rate", "100", ValueType.integer(1, 1_000_000),
            "Publishes per second one connection may send (bursts of as many allowed). More: closed with 4005."),
    HANDSHAKE_RATE("handshake.rate", "50", ValueType.integer(1, 1_000_000),
            "WebSocket handshakes per second from one client address (bursts of as many allowed). More: closed with "
                    + "4005 before any frame is read."),
    WS_COMPRESSION("ws.compression", "false", ValueType.bool(),
            "Negotiates permessage-deflate when a client offers it. Inflated messages are held to frame.max.bytes."),
    WS_API("ws.api", "native", ValueType.oneOf("native", "standard"),
            "Which WebSocket API Duplex uses. native: the container's own where Duplex knows it and the container lets "
                    + "the application see it (the embedded Jetty): /ws is served on Jetty's core WebSocket API, without "
                    + "the Jakarta layer's per-connection cost, and the frames waiting for a client leave in one write, "
                    + "each message encoded to bytes once for all its subscribers. standard: only the jakarta.websocket "
                    + "API (the @ServerEndpoint, one sendText per frame), as on every other container."),
    SSE_HEARTBEAT_INTERVAL("sse.heartbeat.interval", "15s", ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
            "After this long without an event, a Server-Sent Events stream is sent a comment line, which keeps proxies "
                    + "and load balancers from closing it as idle and shows whether the client is still there. Keep it "
                    + "below every idle timeout on the way (nginx's proxy_read_timeout is 60s, Jetty's 30s)."),
    SSE_RETRY("sse.retry", "2s", ValueType.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
            "The retry: advice at the start of every Server-Sent Events stream: how long EventSource waits before it "
                    + "reconnects (with Last-Event-ID) after the stream ended or broke."),
    STOMP_HEADERS_MAX("stomp.headers.max", "32", ValueType.integer(1, 1000),
            "Headers one STOMP frame may carry (/stomp, docs/protocols.md). More: an ERROR frame, then the connection is "
                    + "closed with 1008."),
    STOMP_HEADER_MAX_BYTES("stomp.header.max.bytes", "8KiB", ValueType.size(64, 1024 * 1024),
            "Longest command line or header line of a STOMP frame, in bytes as sent (escaped). Longer: an ERROR frame, then "
                    + "the connection is closed with 1008. A frame's body is held to frame.max.bytes, its data to message.max.bytes."),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "5s", ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "On SIGTERM, how long the embedded server waits for the sessions' close handshakes (1001), and then for requests in "
                    + "flight, before it exits. Embedded server only."),
    SHUTDOWN_DRAIN("shutdown.drain", null, ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "On SIGTERM, how long the embedded server drains before it closes the sessions with 1001: /api/health/ready "
                    + "answers 503 and new WebSocket handshakes are refused with 503, so a load balancer or proxy sends new "
                    + "connections to other nodes, while the open sessions are still served. Default: 5s in production mode, "
                    + "0s (none) in dev mode. Embedded server only."),
    METRICS_ACCESS("metrics.access", "api-key", ValueType.oneOf("api-key", "open", "off"),
            "Who may read the Prometheus metrics at /metrics. api-key: callers with an API key or an admin token "
                    + "(Authorization: Bearer), as for /api/sessions, so open only while the REST API asks for no credentials "
                    + "(dev mode without keys). open: anyone who reaches the path (a network only Prometheus reaches). off: not "
                    + "served. With management.port set, /metrics is served on that port alone, without credentials."),
    MANAGEMENT_PORT("management.port", null, ValueType.integer(0, 65535),
            "A second HTTP port of the embedded server for Prometheus and health checks: it serves /metrics and "
                    + "/api/health/* without credentials and nothing else, and the main port then no longer serves /metrics. "
                    + "0 picks a free port. Unset: no management port. Embedded server only."),
    MANAGEMENT_HOST("management.host", "127.0.0.1", ValueType.text("a host name or IP address"),
            "Address the management port binds: keep it on loopback or a private network, since it asks no credentials. "
                    + "Embedded server only."),
    LOG_LEVEL("log.level", "info", ValueType.oneOf("error", "warn", "info", "debug"),
            "Level of Duplex's own log lines; debug adds one line per session opened and closed. Embedded server only."),

    // ---- Bridges (docs/bridges.md) ----
    BRIDGES("bridges", "", ValueType.someOf("kafka", "mqtt"),
            "Bridges this node runs between its channels and outside systems. kafka: records of Kafka topics become "
                    + "channel messages, and channel messages become Kafka records (the kafka.* settings). mqtt: messages of "
                    + "MQTT topics become channel messages, and channel messages become MQTT messages (the mqtt.* settings). "
                    + "Empty: none."),
    BRIDGES_REQUIRED("bridges.required", "", ValueType.someOf("kafka", "mqtt"),
            "Which of the bridges this node cannot do without: while one is not up (starting, Kafka or the MQTT broker "
                    + "unreachable, failed), /api/health/ready and /api/health answer 503, so a load balancer sends the node "
                    + "no new connections. Empty (the default): a bridge that is down leaves the node ready."),
    KAFKA_BOOTSTRAP_SERVERS("kafka.bootstrap.servers", null, KafkaValues.bootstrapServers(),
            "The Kafka cluster of bridges=kafka. A host that does not resolve fails the start; a cluster that does not "
                    + "answer does not: the node starts with the bridge down (/api/health) and connects when Kafka comes."),
    KAFKA_GROUP_ID("kafka.group.id", "duplex", ValueType.text("a Kafka consumer group id"),
            "Consumer group of every node of this Duplex: each record is handled by one node, and the nodes share the "
                    + "partitions. Offsets are committed to it once Duplex accepted the records."),
    KAFKA_IN_TOPICS("kafka.in.topics", null, KafkaValues.topics(),
            "Topics whose records are published to channels. A topic that does not exist fails the start (or, when Kafka "
                    + "was unreachable at start, stops the bridge when it connects)."),
    KAFKA_IN_PATTERN("kafka.in.pattern", null, KafkaValues.pattern(),
            "Instead of kafka.in.topics: every topic whose whole name matches this regular expression, including topics "
                    + "created later."),
    KAFKA_IN_CHANNELS("kafka.in.channels", "*={topic}", KafkaValues.routes(),
            "The channel of each record: TOPIC=TEMPLATE routes, * for topics without their own. {key} is the record's "
                    + "key, {header:NAME} a header's value, {topic} and {partition} the record's. A record whose channel is "
                    + "not valid, or whose value is over message.max.bytes, is skipped with one log line and counted."),
    KAFKA_IN_FROM("kafka.in.from", "latest", ValueType.oneOf("latest", "earliest"),
            "Where a consumer group new to a topic starts: latest (records produced from then on) or earliest (every "
                    + "record the topic still holds). Afterwards the group's committed offsets decide."),
    KAFKA_OUT_CHANNELS("kafka.out.channels", null, BridgeValues.channelPatterns(),
            "Channels whose messages are produced to kafka.out.topic (key: the channel; value: the message as JSON). "
                    + "Messages that came from Kafka are never produced back."),
    KAFKA_OUT_TOPIC("kafka.out.topic", null, KafkaValues.topic(),
            "The topic messages of kafka.out.channels are produced to (idempotent producer, acks=all)."),
    KAFKA_OUT_UNAVAILABLE("kafka.out.unavailable", "fail", ValueType.oneOf("fail", "buffer"),
            "What a publish to an exported channel does while Kafka is unreachable. fail: it is refused with "
                    + "engine_unavailable (REST 503), before any subscriber sees it. buffer: it is accepted, and its record "
                    + "waits for Kafka within kafka.out.buffer and kafka.out.timeout; records past either are dropped, logged "
                    + "and counted (/api/health)."),
    KAFKA_OUT_BUFFER("kafka.out.buffer", "32MiB", ValueType.size(64 * 1024, 8L * 1024 * 1024 * 1024),
            "Bytes of records waiting for Kafka. Full: with kafka.out.unavailable=fail publishes to exported channels are "
                    + "refused with engine_unavailable; with buffer the new record is dropped and counted."),
    KAFKA_OUT_TIMEOUT("kafka.out.timeout", "2m", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "How long a record may wait for Kafka to take it. Longer: dropped, logged and counted."),
    KAFKA_SESSION_TIMEOUT("kafka.session.timeout", "10s", ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(30)),
            "How long the group waits for a node that stopped answering (crashed) before its partitions move to the "
                    + "others. Must lie within the broker's group.min/max.session.timeout.ms."),
    KAFKA_CONNECT_TIMEOUT("kafka.connect.timeout", "5s", ValueType.duration(Duration.ofMillis(100), Duration.ofMinutes(5)),
            "How long the start waits for Kafka to answer, to check the topics. Then the node starts with the bridge "
                    + "down, and connects when Kafka comes."),
    KAFKA_SECURITY_PROTOCOL("kafka.security.protocol", "PLAINTEXT", ValueType.oneOf("plaintext", "ssl", "sasl_plaintext", "sasl_ssl"),
            "How the bridge talks to Kafka: PLAINTEXT, SSL (TLS), SASL_PLAINTEXT or SASL_SSL (SASL over TLS)."),
    KAFKA_SASL_MECHANISM("kafka.sasl.mechanism", "PLAIN", KafkaValues.saslMechanism(),
            "With a SASL_* protocol: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with kafka.sasl.username and kafka.sasl.password."),
    KAFKA_SASL_USERNAME("kafka.sasl.username", null, ValueType.text("a user name"),
            "The SASL user name."),
    KAFKA_SASL_PASSWORD("kafka.sasl.password", null, ValueType.secret("a password", 1),
            "The SASL password. A secret: never logged."),
    KAFKA_SSL_TRUSTSTORE("kafka.ssl.truststore", null, ValueType.text("a path to a PEM, PKCS12 (.p12/.pfx) or JKS file"),
            "Certificates the bridge trusts for Kafka's TLS (default: the JVM's). The type follows the file's extension."),
    KAFKA_SSL_TRUSTSTORE_PASSWORD("kafka.ssl.truststore.password", null, ValueType.secret("a password", 1),
            "Password of a PKCS12 or JKS kafka.ssl.truststore. A secret: never logged."),
    KAFKA_SSL_KEYSTORE("kafka.ssl.keystore", null, ValueType.text("a path to a PKCS12 (.p12/.pfx) or JKS file"),
            "The bridge's own certificate and key, for brokers that ask clients for one (mutual TLS)."),
    KAFKA_SSL_KEYSTORE_PASSWORD("kafka.ssl.keystore.password", null, ValueType.secret("a password", 1),
            "Password of kafka.ssl.keystore (and of its key). A secret: never logged."),
    KAFKA_PROPERTIES("kafka.properties", null, ValueType.text("a path to a properties file"),
            "More Kafka client settings, passed as they are to the bridge's consumer, producer and admin client (e.g. "
                    + "ssl.endpoint.identification.algorithm). The settings above win; values are never logged."),
    MQTT_URI("mqtt.uri", null, MqttValues.address(),
            "The MQTT broker of bridges=mqtt. A host that does not resolve fails the start; a broker that does not answer "
                    + "does not: the node starts with the bridge down (/api/health) and connects when the broker comes."),
    MQTT_VERSION("mqtt.version", "5", ValueType.oneOf("5", "3.1.1"),
            "The MQTT version the bridge speaks. 5: the nodes share the inbound messages (a shared subscription) and devices "
                    + "may give message ids in user properties. 3.1.1: no shared subscriptions, so every node that has "
                    + "mqtt.in.filters receives every message (with several nodes give messages a JSON id, mqtt.in.id=json:FIELD, "
                    + "or set the filters on one node only: docs/mqtt.md); no user properties, so mqtt.in.id=property:NAME "
                    + "finds none and mqtt.in.filters must not match the topics of mqtt.out.topic."),
    MQTT_CLIENT_ID("mqtt.client.id", null, ValueType.text("an MQTT client identifier"),
            "This node's MQTT client id, which names its session on the broker: it must stay the same across restarts "
                    + "(the broker keeps what arrives meanwhile for it) and differ from every other node's. Default: duplex- "
                    + "and the host name. Two clients with one id take the session from each other: the bridge says so when its "
                    + "connection keeps dropping right after it connects, and stops (failed) when the broker says its session "
                    + "was taken over."),
    MQTT_USERNAME("mqtt.username", null, ValueType.text("a user name"),
            "The user name the bridge logs in with."),
    MQTT_PASSWORD("mqtt.password", null, ValueType.secret("a password", 1),
            "The password the bridge logs in with. A secret: never logged."),
    MQTT_SSL_TRUSTSTORE("mqtt.ssl.truststore", null, ValueType.text("a path to a PEM, PKCS12 (.p12/.pfx) or JKS file"),
            "With an mqtts:// broker: certificates the bridge trusts (default: the JVM's). The type follows the file's "
                    + "extension. The broker's host name must match its certificate."),
    MQTT_SSL_TRUSTSTORE_PASSWORD("mqtt.ssl.truststore.password", null, ValueType.secret("a password", 1),
            "Password of a PKCS12 or JKS mqtt.ssl.truststore. A secret: never logged."),
    MQTT_SESSION_EXPIRY("mqtt.session.expiry", "1h", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(49_710)),
            "How long the broker keeps this node's session (its subscriptions, and the messages that arrive for it) while "
                    + "the node is away. Back within it, the node gets everything it missed; later, that is lost. MQTT 5 "
                    + "only: with 3.1.1 the broker's own policy decides."),
    MQTT_CONNECT_TIMEOUT("mqtt.connect.timeout", "5s", ValueType.duration(Duration.ofMillis(100), Duration.ofMinutes(5)),
            "How long the start waits for the broker to answer. Then the node starts with the bridge down, and connects "
                    + "when the broker comes."),
    MQTT_IN_FILTERS("mqtt.in.filters", null, MqttValues.filters(),
            "Topic filters whose messages are published to channels, subscribed at QoS 1. On engine=redis with MQTT 5 "
                    + "the nodes share them (a shared subscription of mqtt.in.group): each message is handled by one node."),
    MQTT_IN_CHANNELS("mqtt.in.channels", "*={topic}", MqttValues.routes(),
            "The channel of each message: FILTER=TEMPLATE routes, the first whose filter matches the topic winning, * "
                    + "for any topic. {topic} is the topic with / as . ({level:N} its Nth level, -1 the last); a character a "
                    + "channel name cannot hold, and . and @ within a level, are written @XX (its UTF-8 bytes in hex). A "
                    + "message whose channel is not "
                    + "valid, or whose payload is over message.max.bytes, is skipped with one log line and counted."),
    MQTT_IN_GROUP("mqtt.in.group", "duplex", ValueType.text("a shared subscription name (no / + #)"),
            "The shared subscription the nodes of this Duplex share ($share/GROUP/FILTER), on engine=redis with MQTT 5. "
                    + "On the memory engine, or with 3.1.1, each node subscribes to the filters itself."),
    MQTT_IN_ID("mqtt.in.id", "property:message-id", MqttValues.idSource(),
            "Where a message carries an id its device gave it: property:NAME (an MQTT 5 user property; none with 3.1.1), "
                    + "json:FIELD (a "
                    + "field of a JSON object payload) or none. A message received twice with the same id reaches "
                    + "subscribers once, whichever node received it; without an id the node's session, the packet id and "
                    + "the content tell a redelivery (docs/bridges.md)."),
    MQTT_OUT_CHANNELS("mqtt.out.channels", null, BridgeValues.channelPatterns(),
            "Channels whose messages are published to MQTT, at mqtt.out.topic. Messages that came from MQTT are never "
                    + "published back."),
    MQTT_OUT_TOPIC("mqtt.out.topic", "{channel}", MqttValues.topicTemplate(),
            "The topic of each exported message; {channel} is the channel's name with . as / (plant.7.commands → "
                    + "plant/7/commands), @XX as the character it stands for."),
    MQTT_OUT_QOS("mqtt.out.qos", "1", ValueType.oneOf("0", "1", "2"),
            "QoS of the messages the bridge publishes. 0: sent once, may be lost; 1: until the broker has it (at least "
                    + "once); 2: exactly once to the broker."),
    MQTT_OUT_RETAIN("mqtt.out.retain", "false", ValueType.bool(),
            "Publishes with the retain flag: the broker keeps each topic's last message for subscribers that come later."),
    MQTT_OUT_PAYLOAD("mqtt.out.payload", "data", ValueType.oneOf("data", "message"),
            "What a published MQTT message carries. data: the message's data as JSON (a JSON string as its text). "
                    + "message: the whole message, {channel,epoch,offset,time,user,data}."),
    MQTT_OUT_UNAVAILABLE("mqtt.out.unavailable", "fail", ValueType.oneOf("fail", "buffer"),
            "What a publish to an exported channel does while the broker is unreachable. fail: refused with "
                    + "engine_unavailable (REST 503) before any subscriber sees it. buffer: accepted, and its MQTT message "
                    + "waits within mqtt.out.buffer and mqtt.out.timeout; past either, dropped, logged and counted."),
    MQTT_OUT_BUFFER("mqtt.out.buffer", "32MiB", ValueType.size(64 * 1024, 8L * 1024 * 1024 * 1024),
            "Bytes of messages waiting for the broker. Full: with mqtt.out.unavailable=fail publishes to exported channels "
                    + "are refused with engine_unavailable; with buffer the new message is dropped and counted."),
    MQTT_OUT_TIMEOUT("mqtt.out.timeout", "2m", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(1)),
            "How long a message may wait for the broker to take it. Longer: dropped, logged and counted."),

    // ---- Pusher Channels protocol 7 (docs/protocols.md) ----
    PUSHER_APPS("pusher.apps", null, PusherValues.apps(),
            "The Pusher Channels apps this node serves to pusher-js and the pusher server SDKs: clients connect to "
                    + "/app/KEY, the HTTP API is /apps/ID/…, and SECRET signs channel authorisations and API requests. An "
                    + "app's connections=N limits the connections this node holds for it (one more: closed with 4004); "
                    + "disabled closes its connections with 4003 and answers its API requests 403. Unset: no Pusher "
                    + "door (/app/… closes with 4001, /apps/… answers 404). A secret: never logged."),
    PUSHER_CLIENT_EVENTS_RATE("pusher.client.events.rate", "10", ValueType.integer(1, 100_000),
            "Client events (client-…) per second one Pusher connection may send (bursts of as many allowed). More: "
                    + "the event is not delivered and is answered pusher:error 4301; the connection stays open."),
    PUSHER_CLIENT_EVENT_MAX_BYTES("pusher.client.event.max.bytes", "10KiB", ValueType.size(16, 1024L * 1024),
            "Largest data of one client event (client-…), in UTF-8. Larger: not delivered, answered pusher:error 4301; "
                    + "the connection stays open. Events of the HTTP API are held to message.max.bytes.");

    private final String key;
    private final String defaultValue;
    private final ValueType<?> type;
    private final String description;

    Setting(String key, String defaultValue, ValueType<?> type, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.type = type;
        this.description = description;
    }

    /** The key in a properties file: {@code history.size}. */
    public String key() {
        return key;
    }

    /** The command-line flag: {@code --history-size}. */
    public String flag() {
        return "--" + key.replace('.', '-');
    }

    /** The system property and servlet context parameter: {@code duplex.history.size}. */
    public String property() {
        return "duplex." + key;
    }

    /** The environment variable: {@code DUPLEX_HISTORY_SIZE}. */
    public String environmentVariable() {
        return "DUPLEX_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** The default as text, or null when the setting has none. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Whether the value is a secret: error messages never show it. */
    public boolean secret() {
        return type.secret();
    }

    /** What a valid value looks like. */
    public String expected() {
        return type.expected();
    }

    /** The value as an error message may show it: never a secret, never a password inside a URI. */
    String shown(String text) {
        return secret() ? "(secret)" : "'" + type.shown(text) + "'";
    }

    /** Reads a value, or throws IllegalArgumentException saying what a valid value looks like. */
    Object parse(String text) {
        return type.parse(text);
    }

    /** The setting whose flag, key or property name this is, or null. */
    public static Setting byName(String name) {
        for (Setting s : values()) {
            if (s.key.equals(name) || s.flag().equals(name) || s.property().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
