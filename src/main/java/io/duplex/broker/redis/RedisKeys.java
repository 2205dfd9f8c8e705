package io.duplex.broker.redis;

import io.duplex.channel.ChannelName;

/**
 * Where a channel lives in Redis. All keys start with {@code duplex:}; a channel's own keys carry its name in braces
 * ({@code duplex:{news}:history}), which channel names cannot contain, so a topic maps back to its channel without
 * ambiguity.
 */
final class RedisKeys {
    /** Sorted set of channel names, scored by the time of their last publish (ms). */
    static final String CHANNELS = "duplex:channels";

    private static final String CHANNEL_PREFIX = "duplex:{";
    private static final String TOPIC_SUFFIX = "}:live";

    private RedisKeys() {
    }

    /**
     * Hash with the channel's {@code epoch}, latest {@code offset} and the run id of the Redis process that last wrote
     * it ({@code server}): one key, so that epoch and offset are lost together.
     */
    static String meta(ChannelName channel) {
        return CHANNEL_PREFIX + channel.value() + "}:meta";
    }

    /** Stream of the channel's retained messages, each at id {@code OFFSET-0}. */
    static String history(ChannelName channel) {
        return CHANNEL_PREFIX + channel.value() + "}:history";
    }

    /** Hash of the channel's presence: session id to {@code EXPIRY-MS:user}. */
    static String presence(ChannelName channel) {
        return CHANNEL_PREFIX + channel.value() + "}:presence";
    }

    /**
     * String with the first publish of an idempotency key ({@code PublishRequest.scopedKey()}, a SHA-256 in hex, so
     * no caller's text ever becomes a key name): see publish.lua.
     */
    static String idempotency(String scopedKey) {
        return "duplex:idempotency:" + scopedKey;
    }

    /** The pub/sub topic that carries the channel's live messages to the nodes subscribed to it. */
    static String topic(ChannelName channel) {
        return CHANNEL_PREFIX + channel.value() + TOPIC_SUFFIX;
    }

    /** The channel of a topic, or null for a topic that is not one of ours. */
    static ChannelName channelOfTopic(String topic) {
        if (!topic.startsWith(CHANNEL_PREFIX) || !topic.endsWith(TOPIC_SUFFIX)
                || topic.length() <= CHANNEL_PREFIX.length() + TOPIC_SUFFIX.length()) {
            return null;
        }
        String name = topic.substring(CHANNEL_PREFIX.length(), topic.length() - TOPIC_SUFFIX.length());
        try {
            return ChannelName.of(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
