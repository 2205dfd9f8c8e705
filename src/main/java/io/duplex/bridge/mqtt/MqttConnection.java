package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeException;
import io.duplex.bridge.BridgeStatus.State;
import io.duplex.config.DuplexConfig;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The bridge's connection to the broker and where it stands: the first contact within mqtt.connect.timeout (a refusal
 * fails the start, silence does not), the subscriptions made again on every connection (a session that expired has
 * none), its own reconnection with backoff (1 s doubling to 30 s) rather than the client's, so that it knows when a
 * connection is new; one WARN line when the broker goes, one INFO line when it is back with how long it was away; and a
 * client id used twice pointed out.
 */
final class MqttConnection {
    private static final Logger LOG = Logger.getLogger(MqttConnection.class.getName());
    private static final long FIRST_BACKOFF_MILLIS = 1000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    /**
     * Connections lost this soon after they were made, this many times in a row, look like another client with this
     * node's client id: Mosquitto 2.0 closes the older connection without saying why (no reason 0x8E), and the two
     * then take the session from each other in turn.
     */
    private static final long SHORT_LIVED_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SHORT_LIVED_IN_A_ROW = 3;

    private final DuplexConfig.Mqtt mqtt;
    private final MqttLink link;
    private final String clientId;
    private final List<String> subscriptions;
    private final Counters counters;
    private final ScheduledExecutorService connector;
    private volatile State state = State.STARTING;
    private volatile String detail = "starting";
    private volatile String clash;
    private long downSinceNanos; // guarded by this
    private boolean connectedOnce; // guarded by this
    private long connectedAtNanos; // guarded by this
    private int shortLived; // guarded by this
    private long backoffMillis = FIRST_BACKOFF_MILLIS; // guarded by this

    MqttConnection(DuplexConfig.Mqtt mqtt, MqttLink link, String clientId, List<String> subscriptions, Counters counters) {
        this.mqtt = mqtt;
        this.link = link;
        this.clientId = clientId;
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "duplex-mqtt-connect");
            thread.setDaemon(true);
            return thread;
        });
    }

    State state() {
        return state;
    }

    /** Why the state is what it is, and a client id clash if one is suspected. */
    String detail() {
        return clash == null ? detail : detail + "; " + clash;
    }

    private String broker() {
        return mqtt.address().orElseThrow().toString();
    }

    /** Connects within mqtt.connect.timeout; a refusal fails the start, a broker that does not answer does not. */
    void firstContact() {
        if (connect()) {
            return;
        }
        if (state == State.FAILED) {
            String problem = detail;
            close();
            throw new BridgeException("mqtt: " + problem);
        }
        LOG.warning(() -> "mqtt: " + detail + ": the node starts with the MQTT bridge down (/api/health shows it) and "
                + "connects when the broker answers");
        scheduleReconnect();
    }

    /** One attempt to connect and subscribe; false when it did not work (the state says whether to try again). */
    private boolean connect() {
        try {
            boolean sessionPresent = link.connect();
            if (!subscriptions.isEmpty()) {
                link.subscribe(subscriptions);
            }
            up(sessionPresent);
            return true;
        } catch (MqttLink.LinkException e) {
            if (e.kind() == MqttLink.LinkException.Kind.REFUSED) {
                fail("the broker at " + broker() + " refused the bridge: " + e.getMessage());
            } else {
                down("the broker at " + broker() + " did not answer (" + e.getMessage() + ")");
            }
            link.dropConnection();
            return false;
        }
    }

    private synchronized void up(boolean sessionPresent) {
        if (state == State.FAILED || state == State.STOPPED) {
            return;
        }
        State before = state;
        state = State.UP;
        connectedAtNanos = System.nanoTime();
        backoffMillis = FIRST_BACKOFF_MILLIS;
        detail = "connected to " + broker() + " as " + clientId + (link.version().equals("5") ? "" : " over MQTT "
                + link.version()) + (sessionPresent ? " (session resumed)" : " (new session)");
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
            if (state == State.DOWN && !connect() && state == State.DOWN) {
                scheduleReconnect();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** The link lost its connection: down, and reconnecting; or failed when the broker says another client took over. */
    void lost(MqttLink.LinkException why) {
        if (state == State.STOPPED) {
            return;
        }
        if (why.kind() == MqttLink.LinkException.Kind.TAKEN_OVER) {
            fail("another client connected to " + broker() + " with this node's client id " + clientId + " (mqtt.client.id "
                    + "must differ on every node)");
            return;
        }
        noteShortLived();
        down("the connection to " + broker() + " was lost (" + why.getMessage() + ")");
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

    /** While the node stops: the outbound may still send while the broker is there; nothing reconnects any more. */
    synchronized void stopping() {
        if (state != State.UP) {
            state = State.STOPPED;
        }
    }

    /**
     * Stops reconnecting and disconnects, keeping the session: what was not acknowledged yet (a message the engine had
     * not accepted) stays with the broker, which delivers it again when the node is back.
     */
    void close() {
        synchronized (this) {
            state = State.STOPPED;
            detail = "stopped";
        }
        connector.shutdownNow();
        link.close();
    }
}
