package io.duplex.core;

import io.duplex.channel.ChannelName;
import io.duplex.error.DisconnectReason;
import io.duplex.security.Identity;
import io.duplex.security.TokenBucket;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One connected client: who it is, what it is subscribed to, and its outbound queue. Its state changes
 * only through {@link Node}; what is public here is what REST and operators may read.
 */
public final class ClientSession {
    private final String id;
    private final String remote;
    private final Instant connectedAt;
    private final long openedNanos;
    private final Connection connection;
    private final Outbox outbox;
    private final Map<ChannelName, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicReference<DisconnectReason> closeReason = new AtomicReference<>();
    private final TokenBucket publishes;
    private final AtomicBoolean holdsUserSlot = new AtomicBoolean();
    private volatile Identity identity;
    private volatile boolean connected;
    private volatile boolean refreshHinted;
    private volatile long lastReceivedNanos;
    private volatile boolean pinged;

    /**
     * @param disconnect how the session asks to be disconnected when its outbox overflows (4002) or its
     *                   connection fails
     * @param flusher    the threads that write what the outbox queued
     */
    ClientSession(String id, Connection connection, Instant connectedAt, int maxMessages, long maxBytes, int publishRate,
            BiConsumer<ClientSession, DisconnectReason> disconnect, Executor flusher) {
        this.id = id;
        this.connection = connection;
        this.remote = connection.remoteAddress();
        this.connectedAt = connectedAt;
        this.openedNanos = System.nanoTime();
        this.lastReceivedNanos = openedNanos;
        this.publishes = new TokenBucket(publishRate, openedNanos);
        this.outbox = new Outbox(connection, maxMessages, maxBytes, new Outbox.Listener() {
            @Override
            public void overflowed() {
                disconnect.accept(ClientSession.this, DisconnectReason.TOO_SLOW);
            }

            @Override
            public void failed(Throwable cause) {
                disconnect.accept(ClientSession.this, DisconnectReason.CLIENT_CLOSED);
            }
        }, flusher);
    }

    /** The session id: random, URL-safe, unguessable. */
    public String id() {
        return id;
    }

    /** The authenticated user (the token's {@code sub}), or null for an anonymous session. */
    public String user() {
        Identity current = identity;
        return current == null ? null : current.user();
    }

    /** What the session's credentials allow; null until {@code connect} succeeded. */
    public Identity identity() {
        return identity;
    }

    /** The client's address as {@code host:port}. */
    public String remote() {
        return remote;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    /** Whether the client has sent a successful {@code connect}. */
    public boolean connected() {
        return connected;
    }

    /** The channels the session is subscribed to, sorted by name. */
    public List<ChannelName> channels() {
        return subscriptions.keySet().stream().sorted().toList();
    }

    /** Whether the session is still open (not being disconnected). */
    public boolean open() {
        return closeReason.get() == null;
    }

    // ---- state owned by Node and the heartbeat ----

    void connected(Identity identity) {
        this.identity = identity;
        this.connected = true;
    }

    /** A fresh token took effect: a new refresh hint will be due before it expires. */
    void refreshed(Identity identity) {
        this.identity = identity;
        this.refreshHinted = false;
    }

    boolean refreshHinted() {
        return refreshHinted;
    }

    void refreshHintSent() {
        refreshHinted = true;
    }

    /** Counts one publish against {@code publish.rate}; false when the session is over it. */
    boolean tryPublish() {
        return publishes.tryTake(System.nanoTime());
    }

    /** Marks that the session counts against its user's {@code connections.per.user}. */
    void holdUserSlot() {
        holdsUserSlot.set(true);
    }

    /** True once, for the caller that must give the user's slot back. */
    boolean releaseUserSlot() {
        return holdsUserSlot.getAndSet(false);
    }

    /** Queues a push; the node's delivery threads write it. */
    boolean send(OutboundFrame frame) {
        return outbox.offer(frame);
    }

    /** Queues a reply, written at once on this thread when nothing is waiting before it (see {@link Outbox#offer(OutboundFrame, boolean)}). */
    boolean reply(OutboundFrame frame) {
        return outbox.offer(frame, true);
    }

    /** Marks the session closing; true only for the first caller, which does the clean-up. */
    boolean markClosed(DisconnectReason reason) {
        if (closeReason.compareAndSet(null, reason)) {
            outbox.close();
            return true;
        }
        return false;
    }

    Connection connection() {
        return connection;
    }

    Outbox outbox() {
        return outbox;
    }

    Map<ChannelName, Subscription> subscriptionMap() {
        return subscriptions;
    }

    Collection<Subscription> subscriptions() {
        return subscriptions.values();
    }

    void received() {
        lastReceivedNanos = System.nanoTime();
        pinged = false;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long openedNanos() {
        return openedNanos;
    }

    boolean pinged() {
        return pinged;
    }

    void pingSent() {
        pinged = true;
    }

    @Override
    public String toString() {
        return "session " + id;
    }
}
