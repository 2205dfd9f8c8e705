package io.duplex.broker.memory;

import io.duplex.broker.Broker;
import io.duplex.broker.BrokerListener;
import io.duplex.broker.Epochs;
import io.duplex.broker.History;
import io.duplex.broker.HistoryQuery;
import io.duplex.broker.PublishRequest;
import io.duplex.broker.PublishResult;
import io.duplex.broker.Retention;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine of a single node: offsets, history and delivery inside this process.
 *
 * <p>History lives as long as the process, so the epoch is one random value per start: after a restart
 * every channel has a new epoch and reconnecting clients are told {@code recovered:false}. A channel's
 * offset counter is kept as long as the process runs (a few dozen bytes per channel ever published to);
 * its messages are dropped by count ({@code history.size}) and age ({@code history.ttl}).
 *
 * <p>Publish assigns the offset and appends under the channel's lock, and queues the message for the listener in the
 * same step; the listener gets it after the lock is released, from one thread at a time per channel
 * ({@link MemoryStream#deliver}), so it sees a channel's messages in offset order while no publisher waits for
 * another's fan-out. A request with an idempotency key is checked and appended under the key's lock too
 * ({@link MemoryKeys}), so a key is checked and its message published in one step; its delivery also waits until that
 * lock is released.
 */
public final class MemoryBroker implements Broker {
    private final String epoch;
    private final int historySize;
    private final Duration historyTtl;
    private final Clock clock;
    private final MemoryKeys keys;
    private final ConcurrentHashMap<ChannelName, MemoryStream> streams = new ConcurrentHashMap<>();
    private final Set<ChannelName> subscribed = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;
    private volatile BrokerListener listener = message -> { };

    public MemoryBroker(Retention retention, Clock clock, ScheduledExecutorService scheduler) {
        this.epoch = Epochs.random();
        this.historySize = retention.historySize();
        this.historyTtl = retention.historyTtl();
        this.clock = clock;
        this.keys = new MemoryKeys(retention.idempotencyWindow(), clock);
        // Reads and publishes expire lazily; the sweep frees the memory of channels nobody touches.
        long shortest = Math.min(historyTtl.toMillis(), retention.idempotencyWindow().toMillis());
        long period = Math.max(1000, Math.min(60_000, shortest / 4));
        this.sweeper = scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void start(BrokerListener listener) {
        this.listener = listener;
    }

    @Override
    public List<PublishResult> publishAll(List<PublishRequest> requests) {
        List<PublishResult> results = new ArrayList<>(requests.size());
        for (PublishRequest request : requests) {
            PublishResult result = request.idempotent()
                    ? keys.publish(request, () -> append(request))
                    : PublishResult.published(append(request));
            // After the channel's lock and the key's (append runs inside MemoryKeys' compute): the listener runs under
            // neither.
            deliver(request.channel());
            results.add(result);
            if (result.outcome() == PublishResult.Outcome.KEY_REUSED) {
                break;
            }
        }
        return results;
    }

    private ChannelMessage append(PublishRequest request) {
        ChannelName channel = request.channel();
        MemoryStream stream = streams.computeIfAbsent(channel, c -> new MemoryStream());
        ChannelMessage message;
        synchronized (stream) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            message = new ChannelMessage(channel, epoch, stream.nextOffset(), request.data(), now, request.publisher());
            stream.append(message, historySize);
            stream.expire(now, historyTtl);
            if (subscribed.contains(channel)) {
                stream.toDeliver(message);
            }
        }
        return message;
    }

    /** Hands the channel's queued messages to the listener, unless another thread is at it (it will hand these too). */
    private void deliver(ChannelName channel) {
        MemoryStream stream = streams.get(channel);
        if (stream != null) {
            stream.deliver(listener);
        }
    }

    @Override
    public StreamPosition position(ChannelName channel) {
        MemoryStream stream = streams.get(channel);
        if (stream == null) {
            return new StreamPosition(epoch, 0);
        }
        synchronized (stream) {
            return new StreamPosition(epoch, stream.offset());
        }
    }

    @Override
    public History history(ChannelName channel, HistoryQuery query) {
        MemoryStream stream = streams.get(channel);
        if (stream == null) {
            return new History(epoch, 0, List.of());
        }
        synchronized (stream) {
            stream.expire(clock.instant(), historyTtl);
            List<ChannelMessage> messages = query.newest()
                    ? stream.newest(query.limit())
                    : stream.after(query.since(), query.limit());
            return new History(epoch, stream.offset(), messages);
        }
    }

    @Override
    public void subscribe(ChannelName channel) {
        subscribed.add(channel);
    }

    @Override
    public void unsubscribe(ChannelName channel) {
        subscribed.remove(channel);
    }

    @Override
    public Collection<ChannelName> channels() {
        return new ArrayList<>(streams.keySet());
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        listener = message -> { };
    }

    private void sweep() {
        keys.expire();
        Instant now = clock.instant();
        for (MemoryStream stream : streams.values()) {
            synchronized (stream) {
                stream.expire(now, historyTtl);
            }
        }
    }
}
