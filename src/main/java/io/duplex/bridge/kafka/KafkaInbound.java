package io.duplex.bridge.kafka;

import io.duplex.bridge.BridgeContext;
import io.duplex.config.DuplexConfig;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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

    private final DuplexConfig.Kafka kafka;
    private final Properties properties;
    private final BridgeContext context;
    private final Counters counters;
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

    KafkaInbound(DuplexConfig.Kafka kafka, Properties properties, BridgeContext context, Counters counters, byte[] source,
            Consumer<RuntimeException> fatal) {
        this.kafka = kafka;
        this.properties = properties;
        this.context = context;
        this.counters = counters;
        this.mapping = new RecordMapping(kafka);
        this.source = source.clone();
        this.skips = new LineBudget(LOG, "records skipped");
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
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    if (!handle(record)) {
                        // The engine did not take it: this partition starts again at this record after the pause.
                        consumer.seek(partition, record.offset());
                        engineDown = true;
                        break;
                    }
                    handled.put(partition, new OffsetAndMetadata(record.offset() + 1));
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
            if (engineDown && pause()) {
                return;
            }
        }
    }

    /** Publishes one record; false when the engine could not take it (the record must be tried again). */
    private boolean handle(ConsumerRecord<byte[], byte[]> record) {
        Header from = record.headers().lastHeader(KafkaOutbound.SOURCE_HEADER);
        if (from != null && Arrays.equals(from.value(), source)) {
            counters.own.increment();
            return true;
        }
        RecordMapping.Message message;
        try {
            message = mapping.map(record);
        } catch (RecordMapping.Unfit e) {
            skip(record, e.getMessage());
            return true;
        }
        try {
            BridgeContext.Published published = context.publish(message.channel(), message.data(), key(record));
            (published.repeat() ? counters.redelivered : counters.in).increment();
            return true;
        } catch (DuplexException e) {
            if (e.code() == ErrorCode.ENGINE_UNAVAILABLE) {
                LOG.log(Level.FINE, () -> "kafka: the engine did not take " + describe(record) + " (" + e.getMessage()
                        + "); trying again in 1 s");
                return false;
            }
            skip(record, e.getMessage());
            return true;
        } catch (RuntimeException e) {
            // Not a bad record nor an outage: a fault. It is logged in full and the record skipped, so that one record never
            // stalls its partition for good.
            LOG.log(Level.SEVERE, "kafka: publishing " + describe(record) + " failed; the record is skipped", e);
            counters.skipped.increment();
            return true;
        }
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
