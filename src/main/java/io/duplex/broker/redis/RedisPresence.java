package io.duplex.broker.redis;

import io.duplex.broker.Presence;
import io.duplex.broker.PresenceEntry;
import io.duplex.channel.ChannelName;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Presence of every node, in Redis: per channel, a hash of session id to {@code EXPIRY-MS:user}. Each node writes the
 * entries of its own sessions and rewrites them, with a fresh expiry, every third of the TTL; an entry whose node
 * stopped doing so (it died, or lost Redis) is past its expiry within one TTL, is left out of {@link #list} and
 * deleted by it. The hash itself expires a TTL after the last write, so a channel whose nodes are all gone leaves
 * nothing behind.
 *
 * <p>Adding and removing never block (they run while subscribing and while sessions close, possibly on the engine's
 * delivery thread): they are sent without waiting, and a write refused while Redis is away is made again by the next
 * refresh. Listing reads Redis and throws {@code engine_unavailable} when it cannot.
 */
public final class RedisPresence implements Presence {
    private static final RedisScript LIST = RedisScript.load("presence-list.lua");
    /**
     * Between an entry's user and its info (JSON text, a Pusher member's user_info): JSON text never holds it raw, so
     * the last one in a value is the separator whatever the user name holds.
     */
    private static final char INFO_SEPARATOR = '\u001f';

    private final RedisConnections redis;
    private final Duration ttl;
    private final Clock clock;
    /** This node's entries, which it keeps alive in Redis. */
    private final Map<ChannelName, Map<String, PresenceEntry>> local = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> refresher;
    private final AtomicBoolean closed = new AtomicBoolean();

    public RedisPresence(RedisConnections redis, Duration ttl, Clock clock, ScheduledExecutorService scheduler) {
        this.redis = redis.use();
        this.ttl = ttl;
        this.clock = clock;
        long every = Math.max(1, ttl.toMillis() / 3);
        this.refresher = scheduler.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    }

    // Each change is sent under the channel's entry in the local map, so that Redis sees a channel's adds, removes and
    // refreshes in the order they happened here: a refresh never brings back a session that was just removed.

    @Override
    public void add(ChannelName channel, PresenceEntry entry) {
        local.compute(channel, (c, entries) -> {
            Map<String, PresenceEntry> map = entries == null ? new ConcurrentHashMap<>() : entries;
            map.put(entry.session(), entry);
            write(channel, Map.of(entry.session(), value(entry, clock.millis() + ttl.toMillis())));
            return map;
        });
    }

    @Override
    public void remove(ChannelName channel, String session) {
        local.compute(channel, (c, entries) -> {
            if (entries != null) {
                entries.remove(session);
            }
            try {
                redis.async().hdel(RedisKeys.presence(channel), session);
            } catch (RedisException e) {
                // Not connected: the entry expires by itself within the TTL, as a dead node's would.
            }
            return entries == null || entries.isEmpty() ? null : entries;
        });
    }

    @Override
    public List<PresenceEntry> list(ChannelName channel) {
        List<Object> live;
        try {
            live = LIST.run(redis.sync(), new String[] {RedisKeys.presence(channel)}, Long.toString(clock.millis()));
        } catch (RedisException e) {
            throw RedisFailures.read(e, "the presence of '" + channel + "'");
        }
        List<PresenceEntry> entries = new ArrayList<>(live.size() / 2);
        for (int i = 0; i + 1 < live.size(); i += 2) {
            String value = (String) live.get(i + 1);
            int colon = value.indexOf(':');
            String user = colon < 0 ? null : value.substring(colon + 1);
            String info = null;
            int separator = user == null ? -1 : user.lastIndexOf(INFO_SEPARATOR);
            if (separator >= 0) {
                info = user.substring(separator + 1);
                user = user.substring(0, separator);
            }
            entries.add(new PresenceEntry((String) live.get(i), user, info));
        }
        entries.sort(Comparator.comparing(PresenceEntry::session));
        return entries;
    }

    /** Rewrites this node's entries with a fresh expiry. Never blocks: it runs on the shared timer. */
    private void refresh() {
        long expiry = clock.millis() + ttl.toMillis();
        for (ChannelName channel : local.keySet()) {
            local.computeIfPresent(channel, (c, entries) -> {
                Map<String, String> values = new LinkedHashMap<>();
                entries.values().forEach(entry -> values.put(entry.session(), value(entry, expiry)));
                if (!values.isEmpty()) {
                    write(channel, values);
                }
                return entries;
            });
        }
    }

    private void write(ChannelName channel, Map<String, String> values) {
        String key = RedisKeys.presence(channel);
        try {
            redis.async().hset(key, values);
            redis.async().pexpire(key, ttl.toMillis());
        } catch (RedisException e) {
            // Not connected: the next refresh writes it again.
        }
    }

    private static String value(PresenceEntry entry, long expiry) {
        if (entry.user() == null) {
            return Long.toString(expiry);
        }
        return entry.info() == null ? expiry + ":" + entry.user() : expiry + ":" + entry.user() + INFO_SEPARATOR + entry.info();
    }

    /** Stops refreshing: this node's entries leave presence within the TTL, as when a node dies. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            refresher.cancel(false);
            redis.release();
        }
    }
}
