package io.duplex.config;

/**
 * Where the messages of one Kafka topic go: the channel {@code template} for records of {@code topic}, or of every
 * topic without a route of its own when {@code topic} is {@code *}.
 */
public record TopicRoute(String topic, ChannelTemplate template) {
    public static final String ANY_TOPIC = "*";

    @Override
    public String toString() {
        return topic + "=" + template;
    }
}
