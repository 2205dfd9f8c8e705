package io.duplex.pusher;

import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelName;
import io.duplex.core.Node;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is on a Pusher channel, on every node: read from the engine's presence, where every subscription of every door
 * has an entry (a Duplex v1 subscriber of the mapped channel counts too: it is the same channel). On a presence channel
 * an entry's user is the member's Pusher {@code user_id} and its info the member's {@code user_info}.
 */
@ApplicationScoped
public class Occupancy {
    private final Node node;

    protected Occupancy() {
        // for CDI's client proxy
        this(null);
    }

    @Inject
    public Occupancy(Node node) {
        this.node = node;
    }

    /** The channel's subscriptions, on every node. */
    public List<PresenceEntry> entries(PusherChannel channel) {
        return node.presence(channel.duplex());
    }

    /** The members of a presence channel, each user once (several connections of one user are one member). */
    public static Map<String, String> members(List<PresenceEntry> entries) {
        Map<String, String> members = new LinkedHashMap<>();
        for (PresenceEntry entry : entries) {
            if (entry.user() != null) {
                members.putIfAbsent(entry.user(), entry.info());
            }
        }
        return members;
    }

    /** The app's occupied channels (with at least one subscription), by name, whose names start with {@code prefix}. */
    public List<PusherChannel> occupied(String appId, String prefix) {
        List<PusherChannel> channels = new ArrayList<>();
        String duplexPrefix = PusherChannel.prefix(appId);
        for (ChannelName name : node.channels()) {
            if (!name.value().startsWith(duplexPrefix)) {
                continue;
            }
            Optional<PusherChannel> channel = PusherChannel.fromDuplex(appId, name);
            if (channel.isPresent() && channel.get().name().startsWith(prefix) && !entries(channel.get()).isEmpty()) {
                channels.add(channel.get());
            }
        }
        return channels;
    }
}
