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
    HOST("host", "127.0.0.1", ValueType.text("a host name or IP address"),
            "Address the embedded server binds. 0.0.0.0 accepts connections from other machines. Embedded server only."),
    PORT("port", "8080", ValueType.integer(0, 65535),
            "HTTP port of the embedded server; 0 picks a free port. Embedded server only."),
    ENGINE("engine", "memory", ValueType.oneOf("memory"),
            "Engine that carries messages and history. memory: one node, history kept in this process."),
    HISTORY_SIZE("history.size", "1000", ValueType.integer(0, 1_000_000),
            "Messages kept per channel for recovery and REST history; older ones are dropped. 0 keeps none."),
    HISTORY_TTL("history.ttl", "10m", ValueType.duration(Duration.ofSeconds(1), Duration.ofDays(30)),
            "How long a message is kept in history. A client away longer is told recovered:false."),
    HISTORY_PAGE_MAX("history.page.max", "1000", ValueType.integer(1, 100_000),
            "Largest `limit` a REST history request may ask for; more is answered 400 bad_request."),
    MESSAGE_MAX_BYTES("message.max.bytes", "64KiB", ValueType.size(16, 64L * 1024 * 1024),
            "Largest `data` of one message, as compact JSON in UTF-8. More is refused: too_large (REST 413)."),
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
            "After this long with nothing from a client, the server sends it a WebSocket ping."),
    HEARTBEAT_TIMEOUT("heartbeat.timeout", "10s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "How long after the ping the client has to send anything (a pong will do). Then: closed with 4004."),
    CONNECT_TIMEOUT("connect.timeout", "10s", ValueType.duration(Duration.ofMillis(100), Duration.ofHours(1)),
            "Time a new connection has to send `connect`. Then: closed with 1008."),
    SHUTDOWN_TIMEOUT("shutdown.timeout", "5s", ValueType.duration(Duration.ZERO, Duration.ofMinutes(10)),
            "On SIGTERM, how long the embedded server waits for requests in flight before it exits. Embedded server only."),
    LOG_LEVEL("log.level", "info", ValueType.oneOf("error", "warn", "info", "debug"),
            "Level of Duplex's own log lines; debug adds one line per session opened and closed. Embedded server only.");

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

    /** What a valid value looks like. */
    public String expected() {
        return type.expected();
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
