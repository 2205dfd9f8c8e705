package io.duplex.broker;

import io.duplex.channel.ChannelName;
import java.util.List;

/** Who is subscribed to a channel, on every node the engine connects. */
public interface Presence {

    /** Adds a session of this node to the channel's presence. Must not block: it runs while subscribing. */
    void add(ChannelName channel, PresenceEntry entry);

    /** Removes a session of this node from the channel's presence. Must not block: it runs while a session closes. */
    void remove(ChannelName channel, String session);

    /**
     * The channel's subscribers on every node, ordered by session id.
     *
     * @throws io.duplex.error.DuplexException with {@code engine_unavailable} when the engine cannot be read
     */
    List<PresenceEntry> list(ChannelName channel);

    /** Releases the store's resources; this node's entries leave presence now or, in a shared store, when they expire. */
    default void close() {
    }
}
