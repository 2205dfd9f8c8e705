package io.duplex.bridge.mqtt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the bridge needs of an MQTT client: connect with a persistent session, subscribe at QoS 1, publish, acknowledge
 * a message once the engine took it. Two implementations, one per protocol version: {@link Paho5Link} (MQTT 5, Paho's
 * {@code mqttv5} client) and {@link Paho3Link} (MQTT 3.1.1, Paho's {@code mqttv3} client, a separate jar with its own
 * types); the rest of the bridge does not know which one it talks through.
 */
interface MqttLink {

    /** What the link reports to the bridge. Called on the client's own thread, one message at a time, in order. */
    interface Listener {
        /** A message of a subscribed filter; acknowledged (QoS 1, 2) only by {@link #acknowledge}. */
        void arrived(Incoming message);

        /** The connection went, not at the bridge's request. */
        void lost(LinkException why);
    }

    /** A message as it arrived: the packet id is the broker's for this session; properties are MQTT 5 user properties. */
    record Incoming(String topic, byte[] payload, int packetId, int qos, Map<String, String> properties) {
        Optional<String> property(String name) {
            return Optional.ofNullable(properties.get(name));
        }
    }

    /** Told when the broker took (QoS 1, 2) or the client wrote (QoS 0) a published message, or could not. */
    interface Completion {
        void done();

        void failed(String why);
    }

    /** Why an operation did not work, in the terms the bridge acts on. */
    final class LinkException extends Exception {
        private static final long serialVersionUID = 1L;

        /** What the bridge does about it. */
        enum Kind {
            /** The broker refused the bridge (credentials, authorisation, client id): trying again cannot help. */
            REFUSED,
            /** Another client connected with this client id and the broker said so (MQTT 5 reason 0x8E). */
            TAKEN_OVER,
            /** Not connected (yet, or any more): try again once connected. */
            NOT_CONNECTED,
            /** Anything else: the broker did not answer, the connection broke, a subscription was refused... */
            OTHER
        }

        private final Kind kind;

        LinkException(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }

    /** MQTT 5 ({@code 5}) or 3.1.1 ({@code 3.1.1}), as logs and health say it. */
    String version();

    /** Whether a subscription can be shared among the nodes ({@code $share/GROUP/FILTER}): MQTT 5 defines it, 3.1.1 not. */
    boolean sharedSubscriptions();

    /** Whether published messages can carry user properties (the bridge's own mark, a device's id): MQTT 5 only. */
    boolean userProperties();

    /** Connects with the session kept (clean start/clean session off); true when the broker resumed this session. */
    boolean connect() throws LinkException;

    /** Subscribes at QoS 1, retained messages only for a new subscription where the version can say so. */
    void subscribe(List<String> filters) throws LinkException;

    /** Hands a message to the client; {@code done} is told when it is out. */
    void publish(String topic, byte[] payload, int qos, boolean retain, Map<String, String> properties, Completion done)
            throws LinkException;

    /** Acknowledges a QoS 1 or 2 message (PUBACK/PUBREC): the broker may forget it. */
    void acknowledge(Incoming message) throws LinkException;

    boolean connected();

    /** Drops the connection now (after a failed connect or subscribe), keeping the session on the broker. */
    void dropConnection();

    /** Disconnects politely, keeping the session, and releases the client. */
    void close();
}
