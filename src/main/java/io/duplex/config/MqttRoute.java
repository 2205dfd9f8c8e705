package io.duplex.config;

/**
 * Where the messages of some MQTT topics go: the channel {@code template} for topics that {@code filter} matches, or for
 * every topic without a route of its own when the filter is {@code *} ({@code filter} null).
 */
public record MqttRoute(TopicFilter filter, ChannelTemplate template) {
    public static final String ANY_TOPIC = "*";

    /** Whether this route is for the topic: its filter matches it, or it is the route for any topic. */
    public boolean matches(String topic) {
        return filter == null || filter.matches(topic);
    }

    @Override
    public String toString() {
        return (filter == null ? ANY_TOPIC : filter.toString()) + "=" + template;
    }
}
