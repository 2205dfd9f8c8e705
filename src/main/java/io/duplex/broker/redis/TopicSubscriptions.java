package io.duplex.broker.redis;

import io.duplex.broker.BrokerListener;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The pub/sub topics this node is subscribed to: those of the channels it has local subscribers for, and no others.
 *
 * <p>Lettuce delivers the messages of one pub/sub connection on one thread, in the order Redis sent them, and Redis
 * sends a channel's messages in offset order (publish.lua runs alone); this class hands them to the listener on that
 * thread, so per channel the listener sees offsets in order.
 *
 * <p>Subscribing never blocks: the SUBSCRIBE goes out, and only a read of the channel waits until Redis confirmed it
 * ({@link #awaitSubscribed}), so that a message published after the read is sure to arrive live. A lost connection
 * takes the subscriptions with it: Lettuce re-subscribes when it reconnects, the listener is told which channels came
 * back ({@code onResubscribed}: messages published in between were missed), and what the node wants is compared with
 * what Redis confirmed every second, so a subscription refused while Redis was away is made again.
 */
final class TopicSubscriptions extends RedisPubSubAdapter<String, String> {
    private static final Logger LOG = Logger.getLogger(TopicSubscriptions.class.getName());

    /**
     * Channels the node wants, each with a future that completes when Redis confirms the node's latest SUBSCRIBE. A
     * subscription lost with its connection is not waited for again: reads go on (other sessions of the node are
     * reading and publishing), and the listener is told when it is back ({@code onResubscribed}).
     */
    private final Map<ChannelName, CompletableFuture<Void>> wanted = new ConcurrentHashMap<>();
    /** Channels Redis confirmed on the current connection. */
    private final Set<ChannelName> confirmed = ConcurrentHashMap.newKeySet();
    /** Channels whose subscription a lost connection took away, until Redis confirms them again. */
    private final Set<ChannelName> interrupted = ConcurrentHashMap.newKeySet();
    /**
     * UNSUBSCRIBEs Redis has not answered yet, per channel. What arrives before the answer — messages, and the
     * confirmation of an earlier SUBSCRIBE — belongs to a subscription the node gave up, even if it subscribed again.
     */
    private final Map<ChannelName, AtomicInteger> leaving = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;
    private volatile BrokerListener listener = message -> { };

    void listener(BrokerListener listener) {
        this.listener = listener;
    }

    /** The pub/sub connection is established: subscribe to every wanted channel on it. */
    void connected(StatefulRedisPubSubConnection<String, String> connection) {
        this.connection = connection;
        connection.addListener(this);
        reconcile();
    }

    /** The pub/sub connection dropped: Redis forgot its subscriptions, and messages published now are missed. */
    void disconnected() {
        interrupted.addAll(confirmed);
        confirmed.clear();
        leaving.clear();
    }

    void subscribe(ChannelName channel) {
        // Wanted before the SUBSCRIBE goes out, so that no message that follows its confirmation is turned away.
        wanted.put(channel, new CompletableFuture<>());
        send(channel, true);
    }

    void unsubscribe(ChannelName channel) {
        if (wanted.remove(channel) != null) {
            interrupted.remove(channel);
            send(channel, false);
        }
    }

    /**
     * Waits until Redis confirmed the node's latest SUBSCRIBE of the channel, if the node wants it. Returns false if
     * that did not happen within the timeout (Redis is unreachable).
     */
    boolean awaitSubscribed(ChannelName channel, Duration timeout) {
        CompletableFuture<Void> confirmation = wanted.get(channel);
        if (confirmation == null) {
            return true;
        }
        try {
            confirmation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Subscribes what is wanted and not confirmed, unsubscribes what is confirmed and not wanted. Never blocks. */
    void reconcile() {
        StatefulRedisPubSubConnection<String, String> current = connection;
        if (current == null || !current.isOpen()) {
            return;
        }
        for (ChannelName channel : wanted.keySet()) {
            if (!confirmed.contains(channel)) {
                send(channel, true);
            }
        }
        for (ChannelName channel : confirmed) {
            if (!wanted.containsKey(channel) && !isLeaving(channel)) {
                send(channel, false);
            }
        }
    }

    /** Sends a SUBSCRIBE or UNSUBSCRIBE; a refusal (not connected) is left to {@link #reconcile}. */
    private void send(ChannelName channel, boolean subscribe) {
        try {
            write(channel, subscribe);
        } finally {
            RedisConnections.forgetNettyThreadLocals(); // subscribes come from the container's WebSocket threads
        }
    }

    private void write(ChannelName channel, boolean subscribe) {
        StatefulRedisPubSubConnection<String, String> current = connection;
        if (current == null) {
            return;
        }
        String topic = RedisKeys.topic(channel);
        if (subscribe) {
            current.async().subscribe(topic);
            return;
        }
        leaving.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
        RedisFuture<Void> sent = current.async().unsubscribe(topic);
        // Refused or cut off: no answer will come to count it down.
        sent.exceptionally(e -> {
            left(channel);
            return null;
        });
    }

    private boolean isLeaving(ChannelName channel) {
        AtomicInteger pending = leaving.get(channel);
        return pending != null && pending.get() > 0;
    }

    private void left(ChannelName channel) {
        leaving.computeIfPresent(channel, (c, pending) -> pending.decrementAndGet() <= 0 ? null : pending);
    }

    // ---- Lettuce's callbacks, on the connection's thread, in the order Redis sent them ----

    @Override
    public void message(String topic, String text) {
        ChannelName channel = RedisKeys.channelOfTopic(topic);
        if (channel == null || !wanted.containsKey(channel) || isLeaving(channel)) {
            return;
        }
        ChannelMessage message;
        try {
            message = LiveMessages.decode(channel, text);
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "ignored a message on Redis topic " + topic + " that Duplex did not write: " + e.getMessage());
            return;
        }
        try {
            listener.onMessage(message);
        } catch (RuntimeException e) {
            // Thrown into Lettuce, it would break the connection's reading; it is a bug of the listener, not of Redis.
            LOG.log(Level.SEVERE, "delivering message " + message.offset() + " of " + channel + " failed", e);
        }
    }

    @Override
    public void subscribed(String topic, long count) {
        ChannelName channel = RedisKeys.channelOfTopic(topic);
        if (channel == null) {
            return;
        }
        if (isLeaving(channel)) {
            // The answer to a SUBSCRIBE sent before the node gave the channel up: the UNSUBSCRIBE's answer follows.
            return;
        }
        confirmed.add(channel);
        CompletableFuture<Void> confirmation = wanted.get(channel);
        if (confirmation != null) {
            confirmation.complete(null);
        }
        if (interrupted.remove(channel) && confirmation != null) {
            LOG.log(Level.FINE, "re-subscribed to {0} after a lost connection", channel);
            try {
                listener.onResubscribed(channel);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "handling the re-subscription to " + channel + " failed", e);
            }
        }
    }

    @Override
    public void unsubscribed(String topic, long count) {
        ChannelName channel = RedisKeys.channelOfTopic(topic);
        if (channel == null) {
            return;
        }
        confirmed.remove(channel);
        left(channel);
    }
}
