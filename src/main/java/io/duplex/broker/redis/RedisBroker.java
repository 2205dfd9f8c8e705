package io.duplex.broker.redis;

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
import io.duplex.channel.Payload;
import io.duplex.channel.Publisher;
import io.duplex.channel.StreamPosition;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine of several nodes: offsets, history and delivery in one Redis (6.2 or newer) that all nodes share.
 *
 * <p>A channel is three things in Redis (see {@link RedisKeys}): a hash with its epoch and latest offset, a stream of
 * its retained messages, and a pub/sub topic. A publish runs publish.lua, which assigns the offset, appends to the
 * stream, trims it, and publishes the message with everything a subscriber needs, in one atomic step (after checking
 * the message's idempotency key, if it has one, in the same step); each node is
 * subscribed to the topics of the channels it has local subscribers for ({@link TopicSubscriptions}). Reads run
 * history.lua, which returns the epoch, the latest offset and the messages asked for from one moment.
 *
 * <p>If a channel's keys are lost (FLUSHALL, eviction), the next publish or read starts a new epoch at offset 0; if
 * they were last written by another Redis process (Redis restarted, or a replica took over), which may have lost the
 * last writes it acknowledged, the history continues under a new epoch. Either way clients holding the old epoch are
 * told {@code recovered:false}: a lost history is never shown as a gap, nor an offset handed out twice. Times come from the publishing node's clock (keep nodes' clocks in sync); retention by age is applied
 * when a channel is written or read. docs/scaling.md describes the design and its guarantees.
 */
public final class RedisBroker implements Broker {
    /** How long the keys of a channel nobody publishes to are kept, at least: long after its messages are gone. */
    static final Duration IDLE_CHANNEL_TTL = Duration.ofDays(30);
    /** The most channel names {@link #channels} returns: the most recently published to. */
    static final int CHANNELS_LISTED_MAX = 10_000;

    private static final RedisScript HISTORY = RedisScript.load("channel.lua", "history.lua");

    private final RedisConnections redis;
    private final PublishBatches batches;
    private final int historySize;
    private final Duration historyTtl;
    private final Duration idleTtl;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** An engine on these connections, which it uses until {@link #close}. */
    public RedisBroker(RedisConnections redis, Retention retention, Clock clock) {
        this.redis = redis.use();
        this.historySize = retention.historySize();
        this.historyTtl = retention.historyTtl();
        this.idleTtl = historyTtl.compareTo(IDLE_CHANNEL_TTL) > 0 ? historyTtl : IDLE_CHANNEL_TTL;
        this.clock = clock;
        this.batches = new PublishBatches(new PublishScript(retention, idleTtl, clock), this.redis);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public boolean sharesChannels() {
        return true;
    }

    @Override
    public void start(BrokerListener listener) {
        redis.topics().listener(listener);
    }

    @Override
    public List<PublishResult> publishAll(List<PublishRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        CompletableFuture<List<PublishResult>> results = batches.submit(requests);
        try {
            // Every call ahead of this one ends within the command timeout, and the waiting ones fail with it.
            return results.get(3 * redis.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw RedisFailures.publish(new RedisCommandTimeoutException("no answer in time"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "interrupted while waiting for the engine (Redis): the "
                    + "message may or may not have been published");
        }
    }

    @Override
    public CompletionStage<List<PublishResult>> publishAllAsync(List<PublishRequest> requests) {
        return requests.isEmpty() ? CompletableFuture.completedFuture(List.of()) : batches.submit(requests);
    }

    @Override
    public StreamPosition position(ChannelName channel) {
        History nothing = read(channel, 0, 0);
        return new StreamPosition(nothing.epoch(), nothing.offset());
    }

    @Override
    public History history(ChannelName channel, HistoryQuery query) {
        return read(channel, query.newest() ? -1 : query.since(), query.limit());
    }

    /** The channel's epoch and latest offset, and up to {@code limit} messages after {@code since} (-1: the newest). */
    private History read(ChannelName channel, long since, int limit) {
        // A node that just subscribed reads only once Redis confirmed it: then whatever the read misses arrives live.
        if (!redis.topics().awaitSubscribed(channel, redis.timeout())) {
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE,
                    "the engine (Redis) did not confirm the subscription to '" + channel + "' in time; try again");
        }
        long now = clock.millis();
        List<Object> reply;
        try {
            reply = HISTORY.run(redis.sync(), new String[] {RedisKeys.meta(channel), RedisKeys.history(channel)},
                    Long.toString(since), Integer.toString(limit), Long.toString(now), Integer.toString(historySize),
                    Long.toString(historyTtl.toMillis()), Epochs.random(), Long.toString(idleTtl.toMillis()));
        } catch (RedisException e) {
            throw RedisFailures.read(e, "channel '" + channel + "'");
        }
        String epoch = (String) reply.get(0);
        List<ChannelMessage> messages = new ArrayList<>();
        for (Object entry : (List<?>) reply.get(2)) {
            messages.add(message(channel, epoch, (List<?>) entry));
        }
        if (since < 0) {
            Collections.reverse(messages);
        }
        // The script trimmed by age from the head; a message stamped by a node whose clock runs behind may remain.
        Instant oldest = Instant.ofEpochMilli(now).minus(historyTtl);
        int fresh = 0;
        while (fresh < messages.size() && messages.get(fresh).time().isBefore(oldest)) {
            fresh++;
        }
        return new History(epoch, (Long) reply.get(1), messages.subList(fresh, messages.size()));
    }

    /** A stream entry: {@code [OFFSET-0, [t, time, d, data, p, publisher]]} (no publisher: stored by an older version). */
    private static ChannelMessage message(ChannelName channel, String epoch, List<?> entry) {
        String id = (String) entry.get(0);
        long offset = Long.parseLong(id, 0, id.indexOf('-'), 10);
        List<?> fields = (List<?>) entry.get(1);
        String time = null;
        String data = null;
        Publisher publisher = Publisher.UNKNOWN;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if ("t".equals(fields.get(i))) {
                time = (String) fields.get(i + 1);
            } else if ("d".equals(fields.get(i))) {
                data = (String) fields.get(i + 1);
            } else if ("p".equals(fields.get(i))) {
                publisher = PublisherText.decode((String) fields.get(i + 1));
            }
        }
        if (time == null || data == null) {
            throw new IllegalStateException("entry " + id + " of " + RedisKeys.history(channel) + " lacks its time or data");
        }
        return new ChannelMessage(channel, epoch, offset, Payload.stored(data), Instant.ofEpochMilli(Long.parseLong(time)),
                publisher);
    }

    @Override
    public void subscribe(ChannelName channel) {
        redis.topics().subscribe(channel);
    }

    @Override
    public void unsubscribe(ChannelName channel) {
        redis.topics().unsubscribe(channel);
    }

    @Override
    public Collection<ChannelName> channels() {
        long since = clock.millis() - idleTtl.toMillis();
        List<String> names;
        try {
            names = redis.sync().zrevrangebyscore(RedisKeys.CHANNELS, Range.create(since, Long.MAX_VALUE),
                    Limit.create(0, CHANNELS_LISTED_MAX));
        } catch (RedisException e) {
            throw RedisFailures.read(e, "the list of channels");
        }
        List<ChannelName> channels = new ArrayList<>(names.size());
        for (String name : names) {
            try {
                channels.add(ChannelName.of(name));
            } catch (DuplexException e) {
                // Not written by Duplex: the index is a plain key that anyone with access to Redis can write.
            }
        }
        return channels;
    }

    @Override
    public boolean healthy() {
        return redis.healthy();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            redis.topics().listener(message -> { });
            batches.close();
            redis.release();
        }
    }
}
