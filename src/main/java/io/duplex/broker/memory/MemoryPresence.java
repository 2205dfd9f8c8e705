package io.duplex.broker.memory;

import io.duplex.broker.Presence;
import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelName;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Presence of a single node: the sessions of this process, per channel. */
public final class MemoryPresence implements Presence {
    private final ConcurrentHashMap<ChannelName, ConcurrentSkipListMap<String, PresenceEntry>> channels =
            new ConcurrentHashMap<>();

    @Override
    public void add(ChannelName channel, PresenceEntry entry) {
        channels.compute(channel, (c, entries) -> {
            ConcurrentSkipListMap<String, PresenceEntry> map = entries == null ? new ConcurrentSkipListMap<>() : entries;
            map.put(entry.session(), entry);
            return map;
        });
    }

    @Override
    public void remove(ChannelName channel, String session) {
        channels.computeIfPresent(channel, (c, entries) -> {
            entries.remove(session);
            return entries.isEmpty() ? null : entries;
        });
    }

    @Override
    public List<PresenceEntry> list(ChannelName channel) {
        ConcurrentSkipListMap<String, PresenceEntry> entries = channels.get(channel);
        return entries == null ? List.of() : List.copyOf(entries.values());
    }
}
