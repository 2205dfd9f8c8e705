package io.duplex.core;

import io.duplex.config.DuplexConfig;
import io.duplex.error.DisconnectReason;
import io.duplex.security.Identity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps connections honest, on one timer for all sessions: pings a client that has been silent for
 * {@code heartbeat.interval}, closes it with 4004 if it stays silent {@code heartbeat.timeout} longer,
 * closes with 1008 a connection that sent no {@code connect} within {@code connect.timeout}, closes
 * with 4002 a session whose outstanding send has taken longer than {@code outbound.send.timeout}, and
 * reminds a session to refresh its token before it expires, closing it with 4003 when it does.
 *
 * <p>Each session is pinged at a point of its own in the last quarter of {@code heartbeat.interval}: clients that
 * connected together (a deploy, a proxy reload) would otherwise all be pinged in the same tick, and all answer in the
 * same moment, every interval. 1,000 pings and their pongs in one go held deliveries up by 50–100 ms on one core
 * (bench/, the latency run, 2026-12-07).
 */
@ApplicationScoped
public class Heartbeat {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());
    private static final long STALLED_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DuplexConfig config;
    private final Hub hub;
    private final Node node;
    private final Scheduler scheduler;
    private ScheduledFuture<?> task;

    protected Heartbeat() {
        // for CDI's client proxy
        this(null, null, null, null);
    }

    @Inject
    public Heartbeat(DuplexConfig config, Hub hub, Node node, Scheduler scheduler) {
        this.config = config;
        this.hub = hub;
        this.node = node;
        this.scheduler = scheduler;
    }

    public synchronized void start() {
        if (task == null) {
            long period = tickMillis();
            task = scheduler.executor().scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    public synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    /** How long {@code session} may be silent before it is pinged: from 3/4 of {@code interval} to all of it, by its id. */
    static long pingAfterNanos(Duration interval, String session) {
        long quarter = interval.toNanos() / 4;
        return interval.toNanos() - quarter / 1024 * Math.floorMod(session.hashCode() * 0x9E3779B9, 1024);
    }

    /** A quarter of the shortest deadline, between 50 ms and 1 s: deadlines are kept to within a quarter. */
    private long tickMillis() {
        long shortest = Stream.of(config.heartbeatInterval(), config.heartbeatTimeout(), config.connectTimeout(),
                        config.outboundSendTimeout())
                .mapToLong(Duration::toMillis).min().orElse(1000);
        return Math.max(50, Math.min(1000, shortest / 4));
    }

    private void tick() {
        long now = System.nanoTime();
        for (ClientSession session : hub.connections()) {
            try {
                check(session, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "heartbeat check failed for " + session, e);
            }
        }
    }

    /**
     * Closes with 4003 a session whose token has expired; sends a {@code refresh} push once its expiry is
     * {@code token.refresh.before} away. True when the session was closed.
     */
    private boolean expired(ClientSession session) {
        Identity identity = session.identity();
        if (identity == null || identity.expiresAt() == null) {
            return false;
        }
        Instant now = Instant.now();
        if (!now.isBefore(identity.expiresAt())) {
            node.disconnect(session, DisconnectReason.TOKEN_EXPIRED);
            return true;
        }
        if (!session.refreshHinted() && !now.isBefore(identity.expiresAt().minus(config.auth().refreshBefore()))) {
            session.refreshHintSent();
            OutboundFrame hint = session.connection().framing().refreshHint(identity.expiresAt());
            if (hint != null) {
                session.send(hint);
            }
        }
        return false;
    }

    private void check(ClientSession session, long now) {
        if (!session.connected() && now - session.openedNanos() > config.connectTimeout().toNanos()) {
            node.disconnect(session, DisconnectReason.CONNECT_TIMEOUT);
            return;
        }
        if (session.outbox().sendingForNanos(now) > config.outboundSendTimeout().toNanos()) {
            node.disconnect(session, DisconnectReason.SEND_STALLED);
            return;
        }
        if (expired(session)) {
            return;
        }
        long silent = now - session.lastReceivedNanos();
        if (!session.connection().answersPings()) {
            // A one-way stream: kept warm for proxies; a dead reader shows as a stalled write, checked above.
            if (silent > pingAfterNanos(config.heartbeatInterval(), session.id())
                    && session.outbox().sendingForNanos(now) < STALLED_NANOS) {
                session.received();
                session.connection().ping();
            }
            return;
        }
        if (silent > config.heartbeatInterval().plus(config.heartbeatTimeout()).toNanos()) {
            node.disconnect(session, DisconnectReason.NO_HEARTBEAT);
        } else if (silent > pingAfterNanos(config.heartbeatInterval(), session.id()) && !session.pinged()
                && session.outbox().sendingForNanos(now) < STALLED_NANOS) {
            // Not behind a stalled write: the container's ping blocks until written (see Connection.ping).
            session.pingSent();
            session.connection().ping();
        }
    }
}
