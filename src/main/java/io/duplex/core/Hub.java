package io.duplex.core;

import io.duplex.channel.ChannelName;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
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
    private final ConcurrentHashMap<ChannelName, Set<Subscription>> channels = new ConcurrentHashMap<>();
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
        Set<Subscription> subscribers = channels.get(channel);
        return subscribers == null ? 0 : subscribers.size();
    }

    /** Channels with at least one subscriber on this node. */
    public Set<ChannelName> channels() {
        return Set.copyOf(channels.keySet());
    }

    // ---- counts for the metrics: read when scraped, so delivery pays nothing for them ----

    /** WebSocket connections open on this node, whether or not they have sent {@code connect} yet. */
    public int connectionCount() {
        return sessions.size();
    }

    /** How many channels have at least one subscriber on this node. */
    public int channelCount() {
        return channels.size();
    }

    /** Subscriptions of this node's sessions, over all channels. */
    public long subscriptionCount() {
        long count = 0;
        for (Set<Subscription> subscribers : channels.values()) {
            count += subscribers.size();
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

    /** Adds a subscription; {@code ifFirst} runs, under the channel's lock, when it is the channel's first on this node. */
    void addSubscription(Subscription subscription, Runnable ifFirst) {
        channels.compute(subscription.channel(), (channel, subscribers) -> {
            Set<Subscription> set = subscribers;
            if (set == null) {
                ifFirst.run();
                set = ConcurrentHashMap.newKeySet();
            }
            set.add(subscription);
            return set;
        });
    }

    /** Removes a subscription; {@code ifLast} runs, under the channel's lock, when it was the channel's last on this node. */
    void removeSubscription(Subscription subscription, Runnable ifLast) {
        channels.computeIfPresent(subscription.channel(), (channel, subscribers) -> {
            if (subscribers.remove(subscription) && subscribers.isEmpty()) {
                ifLast.run();
                return null;
            }
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    /** The subscriptions to deliver a channel's message to. */
    Collection<Subscription> subscribers(ChannelName channel) {
        Set<Subscription> subscribers = channels.get(channel);
        return subscribers == null ? List.of() : subscribers;
    }
}
