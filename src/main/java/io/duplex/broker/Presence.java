package io.duplex.broker;

import io.duplex.channel.ChannelName;
import java.util.List;

/** Who is subscribed to a channel, on every node the engine connects. */
public interface Presence {

    void add(ChannelName channel, PresenceEntry entry);

    void remove(ChannelName channel, String session);

    /** The channel's subscribers, ordered by session id. */
    List<PresenceEntry> list(ChannelName channel);
}
