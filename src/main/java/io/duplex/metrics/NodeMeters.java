package io.duplex.metrics;

import io.duplex.broker.Broker;
import io.duplex.channel.Door;
import io.duplex.core.Hub;
import io.duplex.core.NodeObserver;
import io.duplex.error.DisconnectReason;
import io.duplex.health.Readiness;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Duplex's own meters: what the {@link io.duplex.core.Node} reports as it works, counted, and what the {@link Hub}
 * holds, read when Prometheus scrapes. Names follow Prometheus's conventions once rendered ({@code duplex_…_total} for
 * counters, base units, no suffix on gauges), and no label takes a value a client chooses: never a channel name, a
 * session id, a user or an address. docs/operations.md lists them.
 *
 * <p>Cost on the delivery path: one add to a striped counter (a {@code DoubleAdder}) per message for its whole fan-out,
 * nothing per subscriber; the gauges cost nothing until scraped. Counters are looked up once and kept, so a call never
 * builds a meter id.
 */
@ApplicationScoped
public class NodeMeters implements NodeObserver {
    private final MeterRegistry registry;
    private final Counter opened;
    private final Map<DisconnectReason, Counter> closedByServer = new EnumMap<>(DisconnectReason.class);
    private final Map<String, Counter> closedByTransport = new ConcurrentHashMap<>();
    private final Map<DisconnectReason, Counter> refused = new EnumMap<>(DisconnectReason.class);
    private final Map<Door, Counter> published = new ConcurrentHashMap<>();
    private final Map<Door, Counter> duplicates = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter dropped;
    private final Counter overflows;
    private final Counter recovered;
    private final Counter notRecovered;
    private final Counter recoveredMessages;
    private final Counter gapsRepaired;
    private final Counter gapsResubscribed;

    protected NodeMeters() {
        // for CDI's client proxy
        this.registry = null;
        this.opened = null;
        this.delivered = null;
        this.dropped = null;
        this.overflows = null;
        this.recovered = null;
        this.notRecovered = null;
        this.recoveredMessages = null;
        this.gapsRepaired = null;
        this.gapsResubscribed = null;
    }

    @Inject
    public NodeMeters(Metrics metrics, Hub hub, Broker broker, Readiness readiness) {
        this.registry = metrics.registry();
        Gauge.builder("duplex.connections.open", hub, Hub::connectionCount)
                .description("WebSocket connections open on this node, including those that have not sent connect yet")
                .register(registry);
        Gauge.builder("duplex.sessions.open", hub, Hub::sessionCount)
                .description("Sessions open on this node: connections that completed connect")
                .register(registry);
        Gauge.builder("duplex.subscriptions.active", hub, Hub::subscriptionCount)
                .description("Subscriptions of this node's sessions, over all channels")
                .register(registry);
        Gauge.builder("duplex.channels.subscribed", hub, Hub::channelCount)
                .description("Channels with at least one subscriber on this node")
                .register(registry);
        Gauge.builder("duplex.outbound.queued.frames", hub, Hub::queuedFrames)
                .description("Frames waiting in this node's per-session outbound queues")
                .register(registry);
        Gauge.builder("duplex.outbound.queued.bytes", hub, Hub::queuedBytes)
                .description("Bytes waiting in this node's per-session outbound queues")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("duplex.engine.up", broker, b -> b.healthy() ? 1 : 0)
                .description("1 while the engine is reachable (always, for the memory engine), 0 while it is not")
                .tag("engine", broker.name())
                .register(registry);
        Gauge.builder("duplex.ready", readiness, r -> r.ready() ? 1 : 0)
                .description("1 while this node is ready for new connections (what /api/health/ready answers 200 for), else 0")
                .register(registry);

        this.opened = Counter.builder("duplex.connections.opened")
                .description("WebSocket connections opened (handshakes refused before any frame are not counted)")
                .register(registry);
        for (DisconnectReason reason : DisconnectReason.values()) {
            // A refused handshake never became a connection: it is counted among the refusals alone.
            if (reason != DisconnectReason.CLIENT_CLOSED && !refusedAtHandshake(reason)) {
                closedByServer.put(reason, closed(String.valueOf(reason.code()), label(reason)));
            }
        }
        for (DisconnectReason reason : new DisconnectReason[] {DisconnectReason.ORIGIN_NOT_ALLOWED, DisconnectReason.NOT_SECURE,
            DisconnectReason.HANDSHAKE_RATE_LIMIT, DisconnectReason.UNAUTHORIZED, DisconnectReason.TOO_MANY_CONNECTIONS}) {
            refused.put(reason, Counter.builder("duplex.handshakes.refused")
                    .description("WebSocket connections refused at the door: origin, plain ws:// in production (insecure), "
                            + "handshake rate, a connect without valid credentials (auth) or over connections.per.user (user_limit)")
                    .tag("reason", refusal(reason))
                    .register(registry));
        }
        publishedCounter(Door.WEBSOCKET);
        publishedCounter(Door.REST);
        duplicatesCounter(Door.WEBSOCKET);
        duplicatesCounter(Door.REST);
        this.delivered = Counter.builder("duplex.messages.delivered")
                .description("Live messages handed to local subscribers' outbound queues (one per subscriber and message)")
                .register(registry);
        this.dropped = Counter.builder("duplex.outbound.frames.dropped")
                .description("Frames never sent because their session's outbound queue was dropped: the frame that overflowed "
                        + "it and those still queued when the session closed")
                .register(registry);
        this.overflows = Counter.builder("duplex.outbound.overflows")
                .description("Sessions closed with 4002 because their outbound queue overflowed")
                .register(registry);
        this.recovered = recoveries("recovered");
        this.notRecovered = recoveries("not_recovered");
        this.recoveredMessages = Counter.builder("duplex.recovery.messages")
                .description("Missed messages sent from history to subscribers that recovered")
                .register(registry);
        this.gapsRepaired = gaps("repaired");
        this.gapsResubscribed = gaps("resubscribe");
    }

    /** Made at start, not at the first event: the gauges and the zero counters are there for the first scrape. */
    void started(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        opened.count();
    }

    private Counter closed(String code, String reason) {
        return Counter.builder("duplex.connections.closed")
                .description("WebSocket connections closed, by close code; reason is what the server closed for, or "
                        + "'transport' when the client, the network or the container closed it")
                .tag("code", code)
                .tag("reason", reason)
                .register(registry);
    }

    private Counter recoveries(String result) {
        return Counter.builder("duplex.recoveries")
                .description("Subscribes with since: whether the missed messages were recovered from history")
                .tag("result", result)
                .register(registry);
    }

    private Counter gaps(String result) {
        return Counter.builder("duplex.gaps")
                .description("Live messages a subscription missed (the engine's connection dropped): filled in from history "
                        + "(repaired), or not recoverable so the session was closed with 4006 (resubscribe)")
                .tag("result", result)
                .register(registry);
    }

    private Counter publishedCounter(Door door) {
        return published.computeIfAbsent(door, d -> Counter.builder("duplex.messages.published")
                .description("Messages the engine took from this node, by the door they came through (ws, rest, or a bridge)")
                .tag("door", d.name())
                .register(registry));
    }

    private Counter duplicatesCounter(Door door) {
        return duplicates.computeIfAbsent(door, d -> Counter.builder("duplex.messages.duplicates")
                .description("Publishes that repeated an idempotency key: answered with the first one's offset, not published again")
                .tag("door", d.name())
                .register(registry));
    }

    /** The label of a server-side close reason: TOO_SLOW is too_slow. */
    private static String label(DisconnectReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static boolean refusedAtHandshake(DisconnectReason reason) {
        return reason == DisconnectReason.ORIGIN_NOT_ALLOWED || reason == DisconnectReason.NOT_SECURE
                || reason == DisconnectReason.HANDSHAKE_RATE_LIMIT;
    }

    private static String refusal(DisconnectReason reason) {
        switch (reason) {
            case ORIGIN_NOT_ALLOWED:
                return "origin";
            case NOT_SECURE:
                return "insecure";
            case HANDSHAKE_RATE_LIMIT:
                return "rate";
            case UNAUTHORIZED:
                return "auth";
            default:
                return "user_limit";
        }
    }

    /**
     * The close codes a transport-reported close is counted under: the standard codes and Duplex's own, each as itself;
     * any other a client chose (3000-4999) as "other", so a client cannot make a label value of its choice.
     */
    private static String codeLabel(int code) {
        if (code >= 1000 && code <= 1015 || code >= 4001 && code <= 4006) {
            return String.valueOf(code);
        }
        return "other";
    }

    // ---- NodeObserver ----

    @Override
    public void connectionOpened() {
        opened.increment();
    }

    @Override
    public void connectionClosed(DisconnectReason reason, int code) {
        if (reason == DisconnectReason.CLIENT_CLOSED) {
            closedByTransport.computeIfAbsent(codeLabel(code), label -> closed(label, "transport")).increment();
            return;
        }
        Counter closed = closedByServer.get(reason);
        if (closed != null) {
            closed.increment();
        }
        Counter refusal = refused.get(reason);
        if (refusal != null) {
            refusal.increment();
        }
        if (reason == DisconnectReason.TOO_SLOW) {
            overflows.increment();
        } else if (reason == DisconnectReason.RESUBSCRIBE) {
            gapsResubscribed.increment();
        }
    }

    @Override
    public void handshakeRefused(DisconnectReason reason) {
        Counter counter = refused.get(reason);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void published(Door door) {
        publishedCounter(door).increment();
    }

    @Override
    public void duplicate(Door door) {
        duplicatesCounter(door).increment();
    }

    @Override
    public void delivered(int sessions) {
        if (sessions > 0) {
            delivered.increment(sessions);
        }
    }

    @Override
    public void dropped(int frames) {
        dropped.increment(frames);
    }

    @Override
    public void recovery(boolean wasRecovered, int messages) {
        (wasRecovered ? recovered : notRecovered).increment();
        if (messages > 0) {
            recoveredMessages.increment(messages);
        }
    }

    @Override
    public void gapRepaired() {
        gapsRepaired.increment();
    }
}
