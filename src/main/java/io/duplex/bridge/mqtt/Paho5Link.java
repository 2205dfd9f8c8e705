package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeException;
import io.duplex.config.DuplexConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** MQTT 5 through Eclipse Paho's {@code mqttv5} client: shared subscriptions, user properties, session expiry. */
final class Paho5Link implements MqttLink, MqttCallback {
    private static final Logger LOG = Logger.getLogger(Paho5Link.class.getName());
    private static final int KEEP_ALIVE_SECONDS = 30;
    /** Reason codes after which trying again cannot help (bad credentials, not authorised, banned, bad client id). */
    private static final List<Integer> REFUSALS = List.of(0x85, 0x86, 0x87, 0x8A, 0x8C);
    /** The broker's disconnect reason when another client connected with this client id. */
    private static final int SESSION_TAKEN_OVER = 0x8E;

    private final DuplexConfig.Mqtt mqtt;
    private final MqttAsyncClient client;
    private final Listener listener;

    Paho5Link(DuplexConfig.Mqtt mqtt, String clientId, Listener listener) {
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
        return "5";
    }

    @Override
    public boolean sharedSubscriptions() {
        return true;
    }

    @Override
    public boolean userProperties() {
        return true;
    }

    @Override
    public boolean connect() throws LinkException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(mqtt.sessionExpiry().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, mqtt.connectTimeout().toSeconds()));
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setAutomaticReconnect(false);
        mqtt.username().ifPresent(options::setUserName);
        mqtt.password().ifPresent(p -> options.setPassword(p.value().getBytes(StandardCharsets.UTF_8)));
        if (mqtt.address().orElseThrow().tls()) {
            options.setSocketFactory(tls());
        }
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
            return token.getSessionPresent();
        } catch (MqttException e) {
            throw failure(e);
        }
    }

    private javax.net.SocketFactory tls() throws LinkException {
        try {
            return MqttTls.socketFactory(mqtt);
        } catch (BridgeException e) {
            throw new LinkException(LinkException.Kind.REFUSED, e.getMessage().replaceFirst("^mqtt: ", ""));
        }
    }

    @Override
    public void subscribe(List<String> filters) throws LinkException {
        MqttSubscription[] subscriptions = new MqttSubscription[filters.size()];
        for (int i = 0; i < subscriptions.length; i++) {
            subscriptions[i] = new MqttSubscription(filters.get(i), 1);
            // Retained messages only when the subscription is new: a resubscription must not repeat them.
            subscriptions[i].setRetainHandling(1);
        }
        int[] codes;
        try {
            IMqttToken token = client.subscribe(subscriptions, null, null, new MqttProperties());
            token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
            codes = token.getReasonCodes();
        } catch (MqttException e) {
            throw failure(e);
        }
        for (int i = 0; codes != null && i < codes.length && i < filters.size(); i++) {
            if (codes[i] >= 0x80) {
                throw new LinkException(LinkException.Kind.OTHER, "the broker refused the subscription to " + filters.get(i)
                        + " (reason code 0x" + Integer.toHexString(codes[i]) + ")");
            }
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, Map<String, String> properties,
            Completion done) throws LinkException {
        MqttProperties mqttProperties = new MqttProperties();
        List<UserProperty> user = new ArrayList<>(properties.size());
        properties.forEach((k, v) -> user.add(new UserProperty(k, v)));
        mqttProperties.setUserProperties(user);
        try {
            client.publish(topic, new MqttMessage(payload, qos, retain, mqttProperties), null, new MqttActionListener() {
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
                client.disconnectForcibly(0, 1000, 0, new MqttProperties());
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
                : code == SESSION_TAKEN_OVER ? LinkException.Kind.TAKEN_OVER
                : code == MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED
                        || code == MqttClientException.REASON_CODE_CLIENT_DISCONNECTING
                        || code == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS
                        || code == MqttClientException.REASON_CODE_MAX_INFLIGHT ? LinkException.Kind.NOT_CONNECTED
                : LinkException.Kind.OTHER;
        return new LinkException(kind, reason(e));
    }

    private static String reason(MqttException e) {
        Throwable cause = e.getCause();
        String message = e.getMessage();
        if (cause != null && cause.getMessage() != null) {
            message = message + ": " + cause.getMessage();
        }
        return message + (e.getReasonCode() > 0 && e.getReasonCode() < 256 ? " (reason code 0x" + Integer.toHexString(
                e.getReasonCode()) + ")" : "");
    }

    // ---- Paho's callbacks ----

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        MqttException cause = response.getException();
        if (response.getReturnCode() == SESSION_TAKEN_OVER || (cause != null && cause.getReasonCode() == SESSION_TAKEN_OVER)) {
            listener.lost(new LinkException(LinkException.Kind.TAKEN_OVER, "the broker says another client took the session"));
            return;
        }
        String why = cause != null ? reason(cause)
                : (response.getReasonString() != null ? response.getReasonString() : "reason code 0x"
                        + Integer.toHexString(response.getReturnCode()));
        listener.lost(new LinkException(LinkException.Kind.OTHER, why));
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warning(() -> "mqtt: " + reason(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Map<String, String> properties = Map.of();
        MqttProperties mqttProperties = message.getProperties();
        if (mqttProperties != null && mqttProperties.getUserProperties() != null
                && !mqttProperties.getUserProperties().isEmpty()) {
            properties = new LinkedHashMap<>();
            for (UserProperty property : mqttProperties.getUserProperties()) {
                properties.putIfAbsent(property.getKey(), property.getValue());
            }
        }
        // Paho disconnects when this throws; whatever happens to one message must not do that.
        try {
            listener.arrived(new Incoming(topic, message.getPayload(), message.getId(), message.getQos(), properties));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "mqtt: a message of " + topic + " could not be handled", e);
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // each publish has its own listener
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // connect() reports the connection itself, with whether the session was resumed
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }
}
