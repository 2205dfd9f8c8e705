package io.duplex.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The resolved, validated configuration of one Duplex node. What each value means, its default and what
 * happens when it is hit is documented once, on {@link Setting}.
 */
public record DuplexConfig(
        Optional<String> configFile,
        String host,
        int port,
        String engine,
        int historySize,
        Duration historyTtl,
        int historyPageMax,
        int messageMaxBytes,
        int frameMaxBytes,
        int outboundQueueMessages,
        long outboundQueueBytes,
        Duration outboundSendTimeout,
        int subscriptionsMax,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration connectTimeout,
        Duration shutdownTimeout,
        String logLevel) {

    /** The configuration with every setting at its default. */
    public static DuplexConfig defaults() {
        return ConfigLoader.load();
    }
}
