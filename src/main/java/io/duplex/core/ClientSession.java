package io.duplex.core;

import io.duplex.channel.ChannelName;
import io.duplex.channel.Door;
import io.duplex.error.DisconnectReason;
import io.duplex.security.Identity;
import io.duplex.security.TokenBucket;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One connected client: who it is, what it is subscribed to, and its outbound queue. Its state changes
 * only through {@link Node}; what is public here is what REST and operators may read.
 */
public final class ClientSession {
    // Fields rather than atomic objects, the publish rate's bucket made at the first publish, a subscription map sized
    // for a few channels: an idle connection is multiplied by every connection a node holds (docs/performance.md).
    /** Publishes one session may have awaiting the engine at once: enough to keep a round trip to Redis busy. */
    static final int UNANSWERED_PUBLISHES_MAX = 64;
    private static final VarHandle CLOSE_REASON;
    private static final VarHandle HOLDS_USER_SLOT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_REASON = lookup.findVarHandle(ClientSession.class, "closeReason", DisconnectReason.class);
            HOLDS_USER_SLOT = lookup.findVarHandle(ClientSession.class, "holdsUserSlot", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String id;
    private final String remote;
    private final long connectedAtMillis;
    private final long openedNanos;
    private final int publishRate;
    private final Connection connection;
    private final Outbox outbox;
    private final Map<ChannelName, Subscription> subscriptions = new ConcurrentHashMap<>(1);
    @SuppressWarnings("unused") // through CLOSE_REASON
    private volatile DisconnectReason closeReason;
    @SuppressWarnings("unused") // through HOLDS_USER_SLOT
    private volatile boolean holdsUserSlot;
    private volatile TokenBucket publishes;
    private volatile Semaphore unanswered;
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
        this.connectedAtMillis = connectedAt.toEpochMilli();
        this.openedNanos = System.nanoTime();
        this.lastReceivedNanos = openedNanos;
        this.publishRate = publishRate;
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

    /** The door the client came through: {@code ws}, {@code sse}, {@code stomp}, {@code pusher}. */
    public Door door() {
        return connection.door();
    }

    /** The client's address as {@code host:port}. */
    public String remote() {
        return remote;
    }

    public Instant connectedAt() {
        return Instant.ofEpochMilli(connectedAtMillis);
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
        return CLOSE_REASON.getVolatile(this) == null;
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

    /** Counts one publish against {@code publish.rate}; false when the session is over it. Public for every door's publishes. */
    public boolean tryPublish() {
        long now = System.nanoTime();
        TokenBucket bucket = publishes;
        if (bucket == null) {
            synchronized (this) {
                bucket = publishes;
                if (bucket == null) {
                    // Full from the first publish on: the same as a bucket made at open, which is full after a second.
                    bucket = new TokenBucket(publishRate, now);
                    publishes = bucket;
                }
            }
        }
        return bucket.tryTake(now);
    }

    /** Marks that the session counts against its user's {@code connections.per.user}. */
    void holdUserSlot() {
        HOLDS_USER_SLOT.setVolatile(this, true);
    }

    /** True once, for the caller that must give the user's slot back. */
    boolean releaseUserSlot() {
        return (boolean) HOLDS_USER_SLOT.getAndSet(this, false);
    }

    /**
     * Takes room for one more publish awaiting the engine, waiting up to {@code millis} for an earlier one to be
     * answered; false if none was. At most {@link #UNANSWERED_PUBLISHES_MAX} are out at once: a client that publishes
     * faster than the engine answers is read no faster than that, and holds no more than that in the node.
     */
    boolean awaitPublishRoom(long millis) throws InterruptedException {
        Semaphore room = unanswered;
        if (room == null) {
            synchronized (this) {
                room = unanswered;
                if (room == null) {
                    room = new Semaphore(UNANSWERED_PUBLISHES_MAX);
                    unanswered = room;
                }
            }
        }
        return room.tryAcquire(millis, TimeUnit.MILLISECONDS);
    }

    /** A publish that took room is answered (or failed). */
    void publishAnswered() {
        unanswered.release();
    }

    /** Queues a push; the node's delivery threads write it. */
    boolean send(OutboundFrame frame) {
        return outbox.offer(frame);
    }

    /** Queues a reply, written at once on this thread when nothing is waiting before it (see {@link Outbox#offer(OutboundFrame, boolean)}). */
    public boolean reply(OutboundFrame frame) {
        return outbox.offer(frame, true);
    }

    /** Marks the session closing; true only for the first caller, which does the clean-up. */
    boolean markClosed(DisconnectReason reason) {
        if (CLOSE_REASON.compareAndSet(this, null, reason)) {
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

    /** The client was heard from (any frame, or the door's own keep-alive): it is not silent. */
    public void received() {
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
