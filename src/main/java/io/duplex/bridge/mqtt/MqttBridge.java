package io.duplex.bridge.mqtt;

import io.duplex.bridge.Bridge;
import io.duplex.bridge.BridgeContext;
import io.duplex.bridge.BridgeException;
import io.duplex.bridge.BridgeStatus;
import io.duplex.bridge.BridgeStatus.State;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.DuplexConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The MQTT bridge: one MQTT 5 client (Eclipse Paho) per node, with a persistent session named by mqtt.client.id, so that
 * the broker queues what arrives for it while the node is away. It subscribes to mqtt.in.filters at QoS 1 (as a shared
 * subscription when the nodes share the Redis engine) and hands each message to {@link MqttInbound}, which acknowledges
 * it to the broker only once the engine accepted it; {@link MqttOutbound} publishes exported channels' messages. When the
 * connection drops it reconnects with backoff (1 s doubling to 30 s) and subscribes again.
 */
final class MqttBridge implements Bridge, MqttCallback {
    private static final Logger LOG = Logger.getLogger(MqttBridge.class.getName());
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");
    private static final long FIRST_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final int KEEP_ALIVE_SECONDS = 30;
    /** MQTT 5 reason codes after which trying again cannot help (bad credentials, not authorised, banned, bad id). */
    private static final List<Integer> REFUSALS = List.of(0x85, 0x86, 0x87, 0x8A, 0x8C);
    /** The broker's disconnect reason when another client connected with this node's client id. */
    private static final int SESSION_TAKEN_OVER = 0x8E;
    /**
     * Connections lost this soon after they were made, this many times in a row, look like another client with this
     * node's client id: Mosquitto 2.0 closes the older connection without saying why (no reason 0x8E), and the two
     * then take the session from each other in turn.
     */
    private static final long SHORT_LIVED_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SHORT_LIVED_IN_A_ROW = 3;

    private final DuplexConfig config;
    private final DuplexConfig.Mqtt mqtt;
    private final String name;
    private final String clientId;
    private final Counters counters = new Counters();
    private final ScheduledExecutorService connector;
    private volatile State state = State.STARTING;
    private volatile String detail = "starting";
    private volatile long downSinceNanos;
    private volatile boolean connectedOnce;
    private volatile long connectedAtNanos;
    private int shortLived; // guarded by this
    private volatile String clash;
    private long backoffMillis = FIRST_BACKOFF_MILLIS; // guarded by this
    private boolean shared;
    private MqttAsyncClient client;
    private MqttInbound inbound;
    private MqttOutbound outbound;
    private ScheduledFuture<?> logFlush;

    MqttBridge(DuplexConfig config, String name) {
        this.config = config;
        this.mqtt = config.mqtt();
        this.name = name;
        this.clientId = mqtt.clientId().orElseGet(MqttBridge::defaultClientId);
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "duplex-mqtt-connect");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** duplex- and the host name: stays the same across restarts of a node, and differs between hosts. */
    private static String defaultClientId() {
        try {
            return "duplex-" + InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "duplex-" + System.getenv().getOrDefault("HOSTNAME", "node");
        }
    }

    private String broker() {
        return mqtt.address().orElseThrow().toString();
    }

    @Override
    public void start(BridgeContext context) {
        if (PAHO_LOG.getLevel() == null) {
            PAHO_LOG.setLevel(Level.SEVERE); // the bridge says itself, once, when the broker goes and comes back
        }
        if (!mqtt.v5()) {
            throw new BridgeException("mqtt: mqtt.version=3.1.1 is not supported by this build yet; use 5 (Mosquitto 1.6+, "
                    + "HiveMQ, EMQX, VerneMQ speak it)");
        }
        String host = mqtt.address().orElseThrow().host();
        try {
            InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new BridgeException("mqtt: the broker's host " + host + " (mqtt.uri=" + broker() + ") does not resolve");
        }
        shared = context.sharedEngine() && mqtt.inbound();
        try {
            client = new MqttAsyncClient(mqtt.address().orElseThrow().clientUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new BridgeException("mqtt: " + e.getMessage());
        }
        client.setManualAcks(true); // a message is acknowledged once the engine took it, not when it arrived
        client.setCallback(this);
        if (mqtt.inbound()) {
            inbound = new MqttInbound(mqtt, new MessageMapping(mqtt, clientId), context, counters, client);
        }
        if (mqtt.outbound()) {
            outbound = new MqttOutbound(mqtt, name, counters, () -> state == State.UP, () -> client);
            outbound.start();
        }
        firstContact();
        logFlush = context.timer().scheduleWithFixedDelay(this::flushLogs, 1, 1, TimeUnit.SECONDS);
    }

    private void flushLogs() {
        if (inbound != null) {
            inbound.flushLog();
        }
        if (outbound != null) {
            outbound.flushLog();
        }
    }

    /** Connects within mqtt.connect.timeout; a refusal fails the start, a broker that does not answer does not. */
    private void firstContact() {
        String problem = connect();
        if (problem == null) {
            return;
        }
        if (state == State.FAILED) {
            stopQuietly();
            throw new BridgeException("mqtt: " + problem);
        }
        LOG.warning(() -> "mqtt: " + detail + ": the node starts with the MQTT bridge down (/api/health shows it) and "
                + "connects when the broker answers");
        scheduleReconnect();
    }

    /**
     * One attempt to connect and subscribe. Null when it worked; else why not (the state says whether it is worth
     * trying again: DOWN, or FAILED for a refusal).
     */
    private String connect() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(mqtt.sessionExpiry().toSeconds());
        options.setConnectionTimeout((int) Math.max(1, mqtt.connectTimeout().toSeconds()));
        options.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        options.setAutomaticReconnect(false);
        mqtt.username().ifPresent(options::setUserName);
        mqtt.password().ifPresent(p -> options.setPassword(p.value().getBytes(StandardCharsets.UTF_8)));
        if (mqtt.address().orElseThrow().tls()) {
            try {
                options.setSocketFactory(MqttTls.socketFactory(mqtt));
            } catch (BridgeException e) {
                fail(e.getMessage());
                return e.getMessage();
            }
        }
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
            boolean sessionPresent = token.getSessionPresent();
            subscribe();
            up(sessionPresent);
            return null;
        } catch (MqttException e) {
            String why = reason(e);
            if (REFUSALS.contains(e.getReasonCode())) {
                fail("the broker at " + broker() + " refused the bridge: " + why);
            } else {
                down("the broker at " + broker() + " did not answer (" + why + ")");
            }
            closeConnectionQuietly();
            return state == State.FAILED ? detail : why;
        }
    }

    /** Subscribes to the filters (again: a resumed session has them, an expired one not; the broker replaces them). */
    private void subscribe() throws MqttException {
        if (inbound == null) {
            return;
        }
        List<String> filters = MessageMapping.subscriptions(mqtt, shared);
        MqttSubscription[] subscriptions = new MqttSubscription[filters.size()];
        for (int i = 0; i < subscriptions.length; i++) {
            subscriptions[i] = new MqttSubscription(filters.get(i), 1);
            // Retained messages only when the subscription is new: a resubscription must not repeat them.
            subscriptions[i].setRetainHandling(1);
        }
        IMqttToken token = client.subscribe(subscriptions, null, null, new MqttProperties());
        token.waitForCompletion(mqtt.connectTimeout().toMillis() + 1000);
        int[] codes = token.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length && i < filters.size(); i++) {
            if (codes[i] >= 0x80) {
                throw new MqttException(codes[i], new IllegalStateException("the broker refused the subscription to "
                        + filters.get(i) + " (reason code 0x" + Integer.toHexString(codes[i]) + ")"));
            }
        }
    }

    private static String reason(MqttException e) {
        Throwable cause = e.getCause();
        String message = e.getMessage();
        if (cause != null && cause.getMessage() != null) {
            message = cause instanceof IllegalStateException ? cause.getMessage() : message + ": " + cause.getMessage();
        }
        return message + (e.getReasonCode() > 0 && e.getReasonCode() < 256 ? " (reason code 0x" + Integer.toHexString(
                e.getReasonCode()) + ")" : "");
    }

    private synchronized void up(boolean sessionPresent) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        State before = state;
        state = State.UP;
        connectedAtNanos = System.nanoTime();
        backoffMillis = FIRST_BACKOFF_MILLIS;
        detail = "connected to " + broker() + " as " + clientId + (sessionPresent ? " (session resumed)" : " (new session)");
        if (connectedOnce) {
            counters.reconnects.increment();
        }
        connectedOnce = true;
        if (before == State.DOWN) {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - downSinceNanos);
            LOG.info(() -> "mqtt: " + detail + " again, after " + seconds + " s away");
        } else {
            LOG.info(() -> "mqtt: " + detail);
        }
    }

    private synchronized void down(String why) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        State before = state;
        detail = why;
        if (before != State.DOWN) {
            downSinceNanos = System.nanoTime();
            state = State.DOWN;
            if (before == State.UP) {
                LOG.warning(() -> "mqtt: " + why + "; " + (mqtt.outbound() ? (mqtt.outBuffered()
                        ? "messages to " + mqtt.outChannels() + " wait for it (mqtt.out.buffer, mqtt.out.timeout)"
                        : "publishes to " + mqtt.outChannels() + " are refused with engine_unavailable until it is back")
                        + "; " : "") + "the bridge reconnects by itself");
            }
        }
    }

    private synchronized void fail(String problem) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        state = State.FAILED;
        detail = problem;
        if (connectedOnce) {
            LOG.severe(() -> "mqtt: the bridge stopped: " + problem);
        }
    }

    private synchronized void scheduleReconnect() {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        connector.schedule(() -> {
            if (state == State.DOWN && connect() != null && state == State.DOWN) {
                scheduleReconnect();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    // ---- Paho's callbacks ----

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (state == State.STOPPED) {
            return;
        }
        MqttException cause = response.getException();
        if (response.getReturnCode() == SESSION_TAKEN_OVER
                || (cause != null && cause.getReasonCode() == SESSION_TAKEN_OVER)) {
            fail("another client connected to " + broker() + " with this node's client id " + clientId + " (mqtt.client.id "
                    + "must differ on every node)");
            LOG.severe(() -> "mqtt: the bridge stopped: " + detail);
            return;
        }
        String why = cause != null ? reason(cause)
                : (response.getReasonString() != null ? response.getReasonString() : "reason code 0x"
                        + Integer.toHexString(response.getReturnCode()));
        noteShortLived();
        down("the connection to " + broker() + " was lost (" + why + ")");
        scheduleReconnect();
    }

    /** Counts connections that ended soon after they began; says once when they look like a client id used twice. */
    private synchronized void noteShortLived() {
        if (System.nanoTime() - connectedAtNanos > SHORT_LIVED_NANOS) {
            shortLived = 0;
            return;
        }
        shortLived++;
        if (shortLived == SHORT_LIVED_IN_A_ROW && clash == null) {
            clash = "the connection was lost " + shortLived + " times in a row within seconds of connecting: is another "
                    + "client (another node?) connecting with this node's client id " + clientId + "? Each node needs its own "
                    + "mqtt.client.id";
            LOG.warning(() -> "mqtt: " + clash);
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warning(() -> "mqtt: " + reason(exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Paho disconnects when this throws; whatever happens to one message must not do that.
        try {
            if (inbound != null) {
                inbound.arrived(topic, message, () -> state == State.STOPPED);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "mqtt: a message of " + topic + " could not be handled", e);
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // the outbound's own listener counts each publish
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // connect() reports the connection itself, with whether the session was resumed
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    // ---- the bridge ----

    @Override
    public BridgeStatus status() {
        String shown = clash == null ? detail : detail + "; " + clash;
        if (state == State.UP && inbound != null) {
            shown += "; subscribed to " + String.join(", ", MessageMapping.subscriptions(mqtt, shared)) + " at QoS 1";
            if (inbound.waitingForEngine()) {
                shown += "; waiting for the engine to take messages (tried again each second)";
            }
        }
        if (state == State.UP && outbound != null) {
            shown += "; publishing " + mqtt.outChannels() + " to " + mqtt.outTopic() + " at QoS " + mqtt.outQos()
                    + (mqtt.outRetain() ? ", retained" : "");
        }
        return new BridgeStatus(name, state, shown, counters.snapshot(mqtt.inbound(), mqtt.outbound()));
    }

    @Override
    public void check(ChannelName channel, Publisher publisher) {
        if (outbound != null) {
            outbound.check(channel, publisher);
        }
    }

    @Override
    public void accepted(ChannelMessage message) {
        if (outbound != null) {
            outbound.accepted(message);
        }
    }

    @Override
    public void stop() {
        State before = state;
        synchronized (this) {
            state = before == State.UP ? State.UP : State.STOPPED; // the outbound drains while the broker is there
        }
        if (outbound != null) {
            outbound.stop();
        }
        synchronized (this) {
            state = State.STOPPED;
        }
        if (logFlush != null) {
            logFlush.cancel(false);
            flushLogs();
        }
        stopQuietly();
        detail = "stopped";
    }

    /**
     * Disconnects, keeping the session: what was not acknowledged yet (a message the engine had not accepted) stays with
     * the broker, which delivers it again when the node is back.
     */
    private void stopQuietly() {
        connector.shutdownNow();
        if (client == null) {
            return;
        }
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

    private void closeConnectionQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, 0, new MqttProperties());
            }
        } catch (MqttException e) {
            LOG.fine(() -> "mqtt: " + e.getMessage());
        }
    }

    String clientId() {
        return clientId;
    }
}
