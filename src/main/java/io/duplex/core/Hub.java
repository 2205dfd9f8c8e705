package io.duplex.core;

import io.duplex.channel.ChannelName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of this node's sessions and of their subscriptions, shared by the WebSocket endpoint and the
 * REST resources. Anyone may read it; only {@link Node} changes it (the mutators are package-private).
 */
@ApplicationScoped
public class Hub {
    private final ConcurrentHashMap<String, ClientSession> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ChannelName, Channel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> connectionsPerUser = new ConcurrentHashMap<>();

    /**
     * The session with this id, if it is open on this node and has completed {@code connect} (before that the
     * client does not know its id, and the session is not one yet).
     */
    public Optional<ClientSession> session(String id) {
        return Optional.ofNullable(sessions.get(id)).filter(Hub::isSession);
    }

    /** The sessions of this node that have completed {@code connect}. */
    public Collection<ClientSession> sessions() {
        return sessions.values().stream().filter(Hub::isSession).toList();
    }

    public int sessionCount() {
        return (int) sessions.values().stream().filter(Hub::isSession).count();
    }

    private static boolean isSession(ClientSession connection) {
        return connection.open() && connection.connected();
    }

    /** Every connection of this node, connected or not: for the heartbeat and for shutdown. */
    Collection<ClientSession> connections() {
        return List.copyOf(sessions.values());
    }

    /** Sessions of this node subscribed to the channel. */
    public int subscriberCount(ChannelName channel) {
        Channel entry = channels.get(channel);
        return entry == null ? 0 : entry.subscribers.size();
    }

    /** Channels with at least one subscriber on this node. */
    public Set<ChannelName> channels() {
        Set<ChannelName> names = new HashSet<>();
        channels.forEach((name, entry) -> {
            if (!entry.subscribers.isEmpty()) {
                names.add(name);
            }
        });
        return Set.copyOf(names);
    }

    // ---- counts for the metrics: read when scraped, so delivery pays nothing for them ----

    /** WebSocket connections open on this node, whether or not they have sent {@code connect} yet. */
    public int connectionCount() {
        return sessions.size();
    }

    /** How many channels have at least one subscriber on this node. */
    public int channelCount() {
        int count = 0;
        for (Channel entry : channels.values()) {
            if (!entry.subscribers.isEmpty()) { // an entry stays while the engine is told of the last leave
                count++;
            }
        }
        return count;
    }

    /** Subscriptions of this node's sessions, over all channels. */
    public long subscriptionCount() {
        long count = 0;
        for (Channel entry : channels.values()) {
            count += entry.subscribers.size();
        }
        return count;
    }

    /** Frames waiting in this node's outbound queues. */
    public long queuedFrames() {
        long frames = 0;
        for (ClientSession session : sessions.values()) {
            frames += session.outbox().queued();
        }
        return frames;
    }

    /** Bytes waiting in this node's outbound queues. */
    public long queuedBytes() {
        long bytes = 0;
        for (ClientSession session : sessions.values()) {
            bytes += session.outbox().queuedBytes();
        }
        return bytes;
    }

    // ---- mutation, for Node ----

    void add(ClientSession session) {
        sessions.put(session.id(), session);
    }

    void remove(ClientSession session) {
        sessions.remove(session.id(), session);
    }

    /** Counts one more connection for the user; false, counting nothing, when it already has {@code max}. */
    boolean reserveUserConnection(String user, int max) {
        boolean[] reserved = {false};
        connectionsPerUser.compute(user, (u, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            reserved[0] = true;
            return current + 1;
        });
        return reserved[0];
    }

    void releaseUserConnection(String user) {
        connectionsPerUser.computeIfPresent(user, (u, count) -> count <= 1 ? null : count - 1);
    }

    /**
     * Adds a subscription. When it is the channel's first on this node the engine is told to deliver the channel here;
     * on return it has been told (by this thread or another), so a read of the channel that follows misses nothing.
     */
    void addSubscription(Subscription subscription, EngineSwitch engine) {
        while (true) {
            Channel entry = channels.computeIfAbsent(subscription.channel(), Channel::new);
            synchronized (entry) {
                if (entry.removed) {
                    continue; // emptied and gone from the map meanwhile: a fresh entry takes over
                }
                entry.subscribers.add(subscription);
                entry.wanted = true;
            }
            entry.sync(engine);
            entry.awaitSynced();
            return;
        }
    }

    /** Removes a subscription; when it was the channel's last on this node, the engine is told to stop delivering it. */
    void removeSubscription(Subscription subscription, EngineSwitch engine) {
        Channel entry = channels.get(subscription.channel());
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (!entry.subscribers.remove(subscription)) {
                return;
            }
            entry.wanted = !entry.subscribers.isEmpty();
        }
        entry.sync(engine);
    }

    /** How the hub tells the engine whether this node wants a channel's messages. */
    @FunctionalInterface
    interface EngineSwitch {
        void set(ChannelName channel, boolean wanted);
    }

    /**
     * One channel's subscribers on this node, and whether the engine delivers the channel here. Decisions are made under
     * the entry's lock, the engine is called outside it: one thread at a time tells the engine what the latest decision
     * is ({@link #sync}), so a subscribe and an unsubscribe racing each other reach the engine in the order decided, and
     * the entry leaves the map only once the engine was told to stop.
     */
    private final class Channel {
        private final ChannelName name;
        final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
        // Guarded by this:
        private boolean wanted;
        private boolean engineOn;
        private boolean syncing;
        private boolean removed;

        Channel(ChannelName name) {
            this.name = name;
        }

        /** Tells the engine the latest decision, unless another thread is doing so (it will tell this one too). */
        void sync(EngineSwitch engine) {
            synchronized (this) {
                if (syncing) {
                    return;
                }
                syncing = true;
            }
            while (true) {
                boolean target;
                synchronized (this) {
                    if (wanted == engineOn) {
                        syncing = false;
                        if (!wanted) {
                            removed = true;
                            channels.remove(name, this);
                        }
                        notifyAll();
                        return;
                    }
                    target = wanted;
                }
                try {
                    engine.set(name, target);
                } catch (RuntimeException e) {
                    synchronized (this) {
                        syncing = false;
                        notifyAll();
                    }
                    throw e;
                }
                synchronized (this) {
                    engineOn = target;
                }
            }
        }

        /** Waits until no thread is telling the engine anything: then it was told the latest decision. */
        synchronized void awaitSynced() {
            boolean interrupted = false;
            while (syncing) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The subscriptions to deliver a channel's message to. */
    Collection<Subscription> subscribers(ChannelName channel) {
        Channel entry = channels.get(channel);
        return entry == null ? List.of() : entry.subscribers;
    }
}
