package io.duplex.bridge.kafka;

import io.duplex.bridge.BridgeContext;
import io.duplex.bridge.BridgeCounters;
import io.duplex.bridge.LineBudget;
import io.duplex.broker.PublishResult;
import io.duplex.config.DuplexConfig;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka → channels: one consumer in the group all nodes share, on a thread of its own. Each record is published to its
 * channel, in partition order, with its topic/partition/offset as the idempotency key, so a record read again after a
 * crash or a rebalance reaches subscribers once; its offset is committed only after the engine accepted it. A record
 * that cannot become a message is skipped (one log line, a counter) and never holds up its partition; while the engine
 * cannot take messages the partition waits at that record and tries again.
 */
final class KafkaInbound implements Runnable {
    private static final Logger LOG = Logger.getLogger(KafkaInbound.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long ENGINE_RETRY_MILLIS = 1000;
    /** Most records of a partition published in one call to the engine: one Redis script, kept short. */
    private static final int BATCH = 100;

    private final DuplexConfig.Kafka kafka;
    private final Properties properties;
    private final BridgeContext context;
    private final BridgeCounters counters;
    private final RecordMapping mapping;
    private final byte[] source;
    private final LineBudget skips;
    private final Consumer<RuntimeException> fatal;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Offsets of records handled (published, repeated or skipped) and not yet committed, per partition. */
    private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    private final Thread thread;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile int partitions;
    private volatile boolean waitingForEngine;
    /**
     * Records waiting in Kafka for this node, -1 while not known. Measured on the consumer's thread (a KafkaConsumer is
     * not for other threads) after each poll, and read by /api/health and /metrics from theirs.
     */
    private volatile long backlog = -1;

    KafkaInbound(DuplexConfig.Kafka kafka, Properties properties, BridgeContext context, BridgeCounters counters, byte[] source,
            Consumer<RuntimeException> fatal) {
        this.kafka = kafka;
        this.properties = properties;
        this.context = context;
        this.counters = counters;
        this.mapping = new RecordMapping(kafka);
        this.source = source.clone();
        this.skips = new LineBudget(LOG, "kafka", "records skipped");
        this.fatal = fatal;
        this.thread = new Thread(this, "duplex-kafka-in");
        thread.setDaemon(true);
    }

    /** Starts consuming, once. */
    synchronized void start() {
        if (thread.getState() == Thread.State.NEW && stopped.getCount() > 0) {
            thread.start();
        }
    }

    /** Writes the line of skipped records that had none of their own, when it is due. */
    void flushLog() {
        skips.flush();
    }

    /** Whether a partition waits at a record the engine could not take (Redis unreachable). */
    boolean waitingForEngine() {
        return waitingForEngine;
    }

    /**
     * How many records wait in Kafka for this node: the consumer's lag (a partition's end offset minus the position this
     * node will read next) summed over the partitions it owns; empty while the consumer does not know it.
     */
    OptionalLong backlog() {
        long value = backlog;
        return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /** Partitions this node consumes now. */
    int partitions() {
        return partitions;
    }

    @Override
    public void run() {
        KafkaConsumer<byte[], byte[]> created = null;
        try {
            created = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            consumer = created;
            if (stopped.getCount() == 0) {
                return;
            }
            Rebalance rebalance = new Rebalance();
            if (kafka.inPattern().isPresent()) {
                created.subscribe(kafka.inPattern().get(), rebalance);
            } else {
                created.subscribe(kafka.inTopics(), rebalance);
            }
            consume(created);
            commit(created, handled);
        } catch (InterruptException e) {
            // Stopping: what was handled and not committed is read again by whoever consumes next, and deduplicated.
        } catch (AuthenticationException | AuthorizationException e) {
            fatal.accept(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "kafka: the consumer failed; records of this node's partitions are not consumed until the "
                    + "node restarts", e);
            fatal.accept(e);
        } finally {
            consumer = null;
            partitions = 0;
            backlog = -1;
            if (created != null) {
                // Leaves the group at once (its partitions move without waiting for the session timeout), within a bound:
                // with Kafka away, close() would otherwise wait 30 s and outlive the node's stop.
                created.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            }
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> consumer) {
        while (stopped.getCount() > 0) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (WakeupException e) {
                if (stopped.getCount() == 0) {
                    return;
                }
                continue;
            }
            boolean engineDown = false;
            for (TopicPartition partition : records.partitions()) {
                long again = publish(partition, records.records(partition));
                if (again >= 0) {
                    // The engine did not take that record: this partition starts again there after the pause.
                    consumer.seek(partition, again);
                    engineDown = true;
                }
            }
            if (!handled.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>(handled);
                consumer.commitAsync(batch, (offsets, error) -> {
                    if (error == null) {
                        offsets.forEach(handled::remove);
                    } else {
                        LOG.log(Level.FINE, () -> "kafka: committing offsets failed (" + error + "); they go with the next commit");
                    }
                });
            }
            waitingForEngine = engineDown;
            // After the seeks: a partition waiting for the engine counts from the record it waits at, not from where
            // the poll left it.
            backlog = lag(consumer);
            if (engineDown && pause()) {
                return;
            }
        }
    }

    /**
     * The consumer's lag summed over its partitions, from what the last fetches said of each partition's end (no request
     * to the broker waits here): 0 with no partition, -1 while none of its partitions' lag is known yet (just assigned).
     */
    private static long lag(KafkaConsumer<byte[], byte[]> consumer) {
        long sum = 0;
        boolean known = true;
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                sum += Math.max(0, lag.getAsLong());
            } else {
                known = false;
            }
        }
        // A partition whose lag is not known yet (new to this node) is left out of a sum above 0, which is a floor; a sum
        // of 0 could hide its backlog, so the figure is unknown until a fetch has told the consumer its end.
        return sum == 0 && !known ? -1 : sum;
    }

    /**
     * Publishes a partition's records in order, in as few calls to the engine as the records it skips allow (one Redis
     * round trip for up to {@value #BATCH} records), noting each handled offset. Returns the offset of the first record
     * the engine did not take, to start again at, or -1 when every record was handled.
     */
    private long publish(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> run = new ArrayList<>();
        List<BridgeContext.Inbound> messages = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            BridgeContext.Inbound message = null;
            String unfit = null;
            if (!own(record)) {
                try {
                    RecordMapping.Message mapped = mapping.map(record);
                    message = new BridgeContext.Inbound(mapped.channel(), mapped.data(), key(record));
                } catch (RecordMapping.Unfit e) {
                    unfit = e.getMessage();
                }
            }
            if (message == null || run.size() == BATCH) {
                // A skipped record is handled (and logged) only after the records before it: offsets go in order.
                long again = flush(partition, run, messages);
                if (again >= 0) {
                    return again;
                }
            }
            if (message != null) {
                run.add(record);
                messages.add(message);
                continue;
            }
            if (unfit == null) {
                counters.own.increment();
            } else {
                skip(record, unfit);
            }
            handled.put(partition, next(record));
        }
        return flush(partition, run, messages);
    }

    /** Whether this Duplex produced the record itself (its outbound side), reading it back now from a topic it consumes. */
    private boolean own(ConsumerRecord<byte[], byte[]> record) {
        Header from = record.headers().lastHeader(KafkaOutbound.SOURCE_HEADER);
        return from != null && Arrays.equals(from.value(), source);
    }

    /**
     * Publishes a run of records in one call and empties the lists. Returns the offset to start again at when the engine
     * did not take them (then none was published), or -1.
     */
    private long flush(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> run, List<BridgeContext.Inbound> messages) {
        try {
            int done = 0;
            while (done < run.size()) {
                List<PublishResult> results;
                try {
                    results = context.publishAll(messages.subList(done, messages.size()));
                } catch (DuplexException e) {
                    if (e.code() == ErrorCode.ENGINE_UNAVAILABLE) {
                        ConsumerRecord<byte[], byte[]> first = run.get(done);
                        LOG.log(Level.FINE, () -> "kafka: the engine did not take " + describe(first) + " and the "
                                + (run.size() - 1) + " after it (" + e.getMessage() + "); trying again in 1 s");
                        return first.offset();
                    }
                    // One of them is not valid for a channel (too large), and none was published: each goes alone, so
                    // that only that one is skipped.
                    return publishEach(partition, run.subList(done, run.size()), messages.subList(done, messages.size()));
                }
                if (results.isEmpty()) {
                    throw new IllegalStateException("the engine answered no result for " + (run.size() - done) + " messages");
                }
                for (PublishResult result : results) {
                    count(run.get(done), result);
                    handled.put(partition, next(run.get(done)));
                    done++;
                }
            }
            return -1;
        } finally {
            run.clear();
            messages.clear();
        }
    }

    /** Publishes each record alone: a record that is not valid is skipped, and the others go on. */
    private long publishEach(TopicPartition partition, List<ConsumerRecord<byte[], byte[]>> run, List<BridgeContext.Inbound> messages) {
        for (int i = 0; i < run.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = run.get(i);
            try {
                count(record, context.publishAll(List.of(messages.get(i))).get(0));
            } catch (DuplexException e) {
                if (e.code() == ErrorCode.ENGINE_UNAVAILABLE) {
                    return record.offset();
                }
                skip(record, e.getMessage());
            } catch (RuntimeException e) {
                // Not a bad record nor an outage: a fault. It is logged in full and the record skipped, so that one record
                // never stalls its partition for good.
                LOG.log(Level.SEVERE, "kafka: publishing " + describe(record) + " failed; the record is skipped", e);
                counters.skipped.increment();
            }
            handled.put(partition, next(record));
        }
        return -1;
    }

    private void count(ConsumerRecord<byte[], byte[]> record, PublishResult result) {
        switch (result.outcome()) {
            case PUBLISHED -> counters.in.increment();
            case DUPLICATE -> counters.redelivered.increment();
            default -> skip(record, "its idempotency key " + key(record) + " was used within publish.idempotency.window for "
                    + "another message (was the topic deleted and created again?)");
        }
    }

    private static OffsetAndMetadata next(ConsumerRecord<?, ?> record) {
        return new OffsetAndMetadata(record.offset() + 1);
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason) {
        counters.skipped.increment();
        skips.warn("kafka: skipped " + describe(record) + ": " + reason);
    }

    /** The record's idempotency key: where it is in Kafka, which is the same each time Kafka delivers it. */
    static String key(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return "record " + record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Waits before trying the engine again; true when the bridge stopped meanwhile. */
    private boolean pause() {
        try {
            return stopped.await(ENGINE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void commit(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(new HashMap<>(offsets), COMMIT_TIMEOUT);
            offsets.clear();
        } catch (KafkaException e) {
            // The records are read again by the partition's next owner, and their keys keep them from subscribers twice.
            LOG.log(Level.FINE, () -> "kafka: committing offsets failed (" + e + "); their records may be read again");
        }
    }

    /** Commits what was handled of partitions leaving this node, so their next owner starts right after it. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition partition : revoked) {
                OffsetAndMetadata offset = handled.remove(partition);
                if (offset != null) {
                    leaving.put(partition, offset);
                }
            }
            KafkaConsumer<byte[], byte[]> current = consumer;
            if (current != null) {
                commit(current, leaving);
            }
            partitions = Math.max(0, partitions - revoked.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            KafkaConsumer<byte[], byte[]> current = consumer;
            partitions = current == null ? 0 : current.assignment().size();
            if (!assigned.isEmpty()) {
                LOG.fine(() -> "kafka: consuming " + assigned);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            // Another node owns them already: committing now could move its offsets back.
            lost.forEach(handled::remove);
            partitions = Math.max(0, partitions - lost.size());
        }
    }

    /** Stops consuming and waits for the thread (which commits what it handled) to end. */
    void stop() {
        synchronized (this) {
            stopped.countDown();
        }
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
