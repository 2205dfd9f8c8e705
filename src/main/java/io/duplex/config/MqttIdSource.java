package io.duplex.config;

/**
 * Where an MQTT message carries an id its publisher gave it, if devices give one: an MQTT 5 user property
 * ({@code property:message-id}) or a top-level field of a JSON object payload ({@code json:id}); {@link #NONE}: nowhere.
 */
public record MqttIdSource(Kind kind, String name) {
    public static final MqttIdSource NONE = new MqttIdSource(Kind.NONE, "");

    /** What carries the id. */
    public enum Kind {
        NONE, PROPERTY, JSON
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : (kind == Kind.PROPERTY ? "property:" : "json:") + name;
    }
}
