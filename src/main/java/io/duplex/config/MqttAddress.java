package io.duplex.config;

/** Where the MQTT broker is: {@code mqtt://host:port}, or {@code mqtts://host:port} for TLS. Holds no credentials. */
public record MqttAddress(boolean tls, String host, int port) {

    /** The address as Paho's clients take it: {@code tcp://…} or {@code ssl://…}. */
    public String clientUri() {
        return (tls ? "ssl://" : "tcp://") + host + ":" + port;
    }

    @Override
    public String toString() {
        return (tls ? "mqtts://" : "mqtt://") + host + ":" + port;
    }
}
