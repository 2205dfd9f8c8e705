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
import io.duplex.config.MqttIdSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MQTT bridge: one MQTT client per node (Eclipse Paho; MQTT 5 or 3.1.1, {@link MqttLink}), with a persistent session
 * named by mqtt.client.id, so that the broker queues what arrives for it while the node is away. It subscribes to
 * mqtt.in.filters at QoS 1 (as a shared subscription when the nodes share the Redis engine and speak MQTT 5) and hands
 * each message to {@link MqttInbound}, which acknowledges it to the broker only once the engine accepted it;
 * {@link MqttOutbound} publishes exported channels' messages; {@link MqttConnection} connects, reconnects and says
 * where the bridge stands.
 */
final class MqttBridge implements Bridge, MqttLink.Listener {
    private static final Logger LOG = Logger.getLogger(MqttBridge.class.getName());
    private static final Logger PAHO_LOG = Logger.getLogger("org.eclipse.paho");

    private final DuplexConfig.Mqtt mqtt;
    private final String name;
    private final String clientId;
    private final Counters counters = new Counters();
    private List<String> subscriptions = List.of();
    private MqttLink link;
    private MqttConnection connection;
    private MqttInbound inbound;
    private MqttOutbound outbound;
    private ScheduledFuture<?> logFlush;

    MqttBridge(DuplexConfig config, String name) {
        this.mqtt = config.mqtt();
        this.name = name;
        this.clientId = mqtt.clientId().orElseGet(MqttBridge::defaultClientId);
    }

    /** duplex- and the host name: stays the same across restarts of a node, and differs between hosts. */
    private static String defaultClientId() {
        try {
            return "duplex-" + InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "duplex-" + System.getenv().getOrDefault("HOSTNAME", "node");
        }
    }

    @Override
    public void start(BridgeContext context) {
        if (PAHO_LOG.getLevel() == null) {
            PAHO_LOG.setLevel(Level.SEVERE); // the bridge says itself, once, when the broker goes and comes back
        }
        String host = mqtt.address().orElseThrow().host();
        try {
            InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new BridgeException("mqtt: the broker's host " + host + " (mqtt.uri=" + mqtt.address().orElseThrow()
                    + ") does not resolve");
        }
        link = mqtt.v5() ? new Paho5Link(mqtt, clientId, this) : new Paho3Link(mqtt, clientId, this);
        if (mqtt.inbound()) {
            boolean shared = context.sharedEngine() && link.sharedSubscriptions();
            subscriptions = MessageMapping.subscriptions(mqtt, shared);
            inbound = new MqttInbound(mqtt, new MessageMapping(mqtt, clientId), context, counters, link);
            if (context.sharedEngine() && !shared) {
                sayWhatUnsharedMeans();
            }
        }
        connection = new MqttConnection(mqtt, link, clientId, subscriptions, counters);
        if (mqtt.outbound()) {
            outbound = new MqttOutbound(mqtt, name, counters, () -> connection.state() == State.UP, link);
            outbound.start();
        }
        connection.firstContact();
        logFlush = context.timer().scheduleWithFixedDelay(this::flushLogs, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * MQTT 3.1.1 has no shared subscriptions: on a shared engine every node receives every message. With an id in the
     * payload (mqtt.in.id=json:FIELD) the nodes' copies share one idempotency key and are published once; without one,
     * each node publishes its copy.
     */
    private void sayWhatUnsharedMeans() {
        if (mqtt.inId().kind() == MqttIdSource.Kind.JSON) {
            LOG.info(() -> "mqtt: MQTT 3.1.1 has no shared subscriptions: every node receives every message of "
                    + mqtt.inFilters() + "; their copies carry the same id (mqtt.in.id=" + mqtt.inId() + ") and reach "
                    + "subscribers once, the other nodes counting theirs as redelivered");
        } else {
            LOG.warning(() -> "mqtt: MQTT 3.1.1 has no shared subscriptions: every node of this Duplex that subscribes to "
                    + mqtt.inFilters() + " publishes its own copy of each message, so with several nodes subscribers get it "
                    + "once per node. Give messages an id (mqtt.in.id=json:FIELD) or set mqtt.in.filters on one node only "
                    + "(docs/mqtt.md)");
        }
    }

    private void flushLogs() {
        if (inbound != null) {
            inbound.flushLog();
        }
        if (outbound != null) {
            outbound.flushLog();
        }
    }

    // ---- the link's reports ----

    @Override
    public void arrived(MqttLink.Incoming message) {
        if (inbound != null) {
            inbound.arrived(message, () -> connection.state() == State.STOPPED);
        }
    }

    @Override
    public void lost(MqttLink.LinkException why) {
        connection.lost(why);
    }

    // ---- the bridge ----

    @Override
    public BridgeStatus status() {
        State state = connection == null ? State.STARTING : connection.state();
        String shown = connection == null ? "starting" : connection.detail();
        if (state == State.UP && inbound != null) {
            shown += "; subscribed to " + String.join(", ", subscriptions) + " at QoS 1";
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
        if (connection == null) {
            return;
        }
        connection.stopping(); // the outbound drains while the broker is there
        if (outbound != null) {
            outbound.stop();
        }
        if (logFlush != null) {
            logFlush.cancel(false);
            flushLogs();
        }
        connection.close();
    }

    String clientId() {
        return clientId;
    }
}
