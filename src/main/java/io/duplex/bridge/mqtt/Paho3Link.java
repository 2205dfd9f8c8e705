package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeException;
import io.duplex.config.DuplexConfig;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * MQTT 3.1.1 through Eclipse Paho's {@code mqttv3} client. What 3.1.1 does not have, the bridge does without: no shared
 * subscriptions (each node subscribes to the filters itself), no user properties (no device ids in properties, no mark on
 * the messages the bridge publishes), no session expiry (clean session off; how long the broker keeps the session is
 * the broker's policy, e.g. Mosquitto's persistent_client_expiration), no retain handling (the broker sends a topic's
 * retained message again on each subscription: see {@link #subscribe}).
 */
final class Paho3Link implements MqttLink, MqttCallback {
    private static final Logger LOG = Logger.getLogger(Paho3Link.class.getName());
    private static final int KEEP_ALIVE_SECONDS = 30;
    /** CONNACK return codes after which trying again cannot help: bad protocol, client id refused, bad login, not authorised. */
    private static final List<Integer> REFUSALS = List.of((int) MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION,
            (int) MqttException.REASON_CODE_INVALID_CLIENT_ID, (int) MqttException.REASON_CODE_FAILED_AUTHENTICATION,
            (int) MqttException.REASON_CODE_NOT_AUTHORIZED);
    /** A SUBACK's code for a filter the broker refused. */
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    private final DuplexConfig.Mqtt mqtt;
    private final MqttAsyncClient client;
    private final Listener listener;
    private boolean sessionPresent; // of the last connect; guarded by the connector's single thread
    private boolean subscribedOnce;

    Paho3Link(DuplexConfig.Mqtt mqtt, String clientId, Listener listener) {
        this.mqtt = mqtt;
        this.listener = listener;
        try {
            client = new MqttAsyncClient(mqtt.address().orElseThrow().clientUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new BridgeException("mqtt: " + e.getMessage());
        }
        client.setManualAcks(true); // a message is acknowledged once the engine took it, not when it arrived
        client.setCallback(this);
    }

    @Override
    public String version() {
        return "3.1.1";
    }

    @Override
    public boolean sharedSubscriptions() {
        return false;
    }

    @Override
    public boolean userProperties() {
        return false;
    }

    @Override
    public boolean connect() throws LinkException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(false);
        options.setConnectionTimeout((int) Math.max(1, mqtt.connectTimeout().toSeconds()));
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(MqttOutbound.IN_FLIGHT);
        mqtt.username().ifPresent(options::setUserName);
        mqtt.password().ifPresent(p -> options.setPassword(p.value().toCharArray()));
        if (mqtt.address().orElseThrow().tls()) {
            try {
                options.setSocketFactory(MqttTls.socketFactory(mqtt));
            } catch (BridgeException e) {
                throw new LinkException(LinkException.Kind.REFUSED, e.getMessage().replaceFirst("^mqtt: ", ""));
            }
        }
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
            sessionPresent = token.getSessionPresent();
            return sessionPresent;
        } catch (MqttException e) {
            throw failure(e);
        }
    }

    /**
     * Subscribes on the first connection of this process and whenever the broker has no session; not again on a
     * resumed session, which has the subscriptions: MQTT 3.1.1 makes the broker send a topic's retained message again on
     * every SUBSCRIBE (5 has retain handling for that), and it would reach subscribers again after each reconnection.
     */
    @Override
    public void subscribe(List<String> filters) throws LinkException {
        if (sessionPresent && subscribedOnce) {
            return;
        }
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        int[] granted;
        try {
            IMqttToken token = client.subscribe(filters.toArray(String[]::new), qos);
            token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
            granted = token.getGrantedQos();
        } catch (MqttException e) {
            throw failure(e);
        }
        for (int i = 0; granted != null && i < granted.length && i < filters.size(); i++) {
            if (granted[i] == SUBSCRIPTION_REFUSED) {
                throw new LinkException(LinkException.Kind.OTHER, "the broker refused the subscription to " + filters.get(i)
                        + " (return code 0x80)");
            }
        }
        subscribedOnce = true;
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, Map<String, String> properties,
            Completion done) throws LinkException {
        // properties: MQTT 3.1.1 has none to carry; the caller knows (userProperties()).
        try {
            client.publish(topic, payload, qos, retain, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.done();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable error) {
                    done.failed(error == null ? "no reason given" : error.getMessage());
                }
            });
        } catch (MqttException e) {
            throw failure(e);
        }
    }

    @Override
    public void acknowledge(Incoming message) throws LinkException {
        try {
            client.messageArrivedComplete(message.packetId(), message.qos());
        } catch (MqttException e) {
            throw failure(e);
        }
    }

    @Override
    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public void dropConnection() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
        } catch (MqttException e) {
            LOG.fine(() -> "mqtt: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
        } catch (MqttException e) {
            LOG.fine(() -> "mqtt: disconnect: " + e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.fine(() -> "mqtt: close: " + e.getMessage());
        }
    }

    private static LinkException failure(MqttException e) {
        int code = e.getReasonCode();
        LinkException.Kind kind = REFUSALS.contains(code) ? LinkException.Kind.REFUSED
                : code == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
                        || code == MqttException.REASON_CODE_CLIENT_DISCONNECTING
                        || code == MqttException.REASON_CODE_CONNECT_IN_PROGRESS
                        || code == MqttException.REASON_CODE_MAX_INFLIGHT ? LinkException.Kind.NOT_CONNECTED
                : LinkException.Kind.OTHER;
        return new LinkException(kind, reason(e));
    }

    private static String reason(Throwable e) {
        Throwable cause = e.getCause();
        String message = e.getMessage();
        if (cause != null && cause.getMessage() != null) {
            message = message + ": " + cause.getMessage();
        }
        if (e instanceof MqttException m && m.getReasonCode() > 0 && m.getReasonCode() < 256) {
            message += " (return code " + m.getReasonCode() + ")";
        }
        return message;
    }

    // ---- Paho's callbacks ----

    @Override
    public void connectionLost(Throwable cause) {
        listener.lost(new LinkException(LinkException.Kind.OTHER, cause == null ? "no reason given" : reason(cause)));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Paho disconnects when this throws; whatever happens to one message must not do that.
        try {
            listener.arrived(new Incoming(topic, message.getPayload(), message.getId(), message.getQos(), Map.of()));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "mqtt: a message of " + topic + " could not be handled", e);
        }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // each publish has its own listener
    }
}
