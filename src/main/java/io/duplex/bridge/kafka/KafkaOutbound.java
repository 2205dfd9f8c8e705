package io.duplex.bridge.kafka;

import io.duplex.bridge.BridgeCounters;
import io.duplex.bridge.LineBudget;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.config.ChannelPattern;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.config.Sizes;
import io.duplex.channel.Publisher;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.protocol.ExportedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Channels → Kafka: every message this node accepts on an exported channel, unless it came from Kafka, is produced to
 * kafka.out.topic with the channel as key (so one channel's messages stay in order in one partition), through an
 * idempotent producer with acks=all. Publishers never wait for Kafka: messages wait in a bounded buffer for a sender
 * thread. While Kafka is unreachable a publish to an exported channel is refused before the engine takes it
 * (kafka.out.unavailable=fail) or buffered (buffer); a message Kafka does not take in time is dropped, logged and counted.
 */
final class KafkaOutbound implements Runnable {
    /** Marks the records this Duplex produced, so that its own consumer, reading the same topic, skips them. */
    static final String SOURCE_HEADER = "duplex-source";
    private static final Logger LOG = Logger.getLogger(KafkaOutbound.class.getName());
    private static final int RECORD_OVERHEAD_BYTES = 64;
    private static final long RETRY_MILLIS = 200;

    private final DuplexConfig.Kafka kafka;
    private final String name;
    private final BridgeCounters counters;
    private final byte[] source;
    private final BooleanSupplier reachable;
    private final List<ChannelPattern> patterns;
    private final LineBudget drops = new LineBudget(LOG, "kafka", "messages dropped");
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Bytes of messages accepted and not yet acknowledged by Kafka (or dropped): what kafka.out.buffer bounds. */
    private final AtomicLong outstanding = new AtomicLong();
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private boolean stopping; // guarded by queue

    /** A message on its way: accepted by Duplex, not yet taken by Kafka. */
    private record Pending(ChannelMessage message, byte[] value, long acceptedNanos) {
        long bytes() {
            return value.length + message.channel().value().length() + RECORD_OVERHEAD_BYTES;
        }
    }

    KafkaOutbound(DuplexConfig.Kafka kafka, Properties properties, String name, BridgeCounters counters, byte[] source,
            BooleanSupplier reachable) {
        this.kafka = kafka;
        this.name = name;
        this.counters = counters;
        this.source = source.clone();
        this.reachable = reachable;
        this.patterns = kafka.outChannels();
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this, "duplex-kafka-out");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the message came in from Kafka, through this bridge's door: it never goes back. */
    private boolean fromHere(Publisher publisher) {
        return publisher.door().name().equals(name);
    }

    boolean exports(ChannelName channel) {
        for (ChannelPattern pattern : patterns) {
            if (pattern.matches(channel.value())) {
                return true;
            }
        }
        return false;
    }

    /** Before the engine: with kafka.out.unavailable=fail, refuses what Kafka could not take now. */
    void check(ChannelName channel, Publisher publisher) {
        if (kafka.outBuffered() || fromHere(publisher) || !exports(channel)) {
            return;
        }
        if (!reachable.getAsBoolean()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "Kafka is unreachable, and channel " + channel
                    + " is exported to it: nothing was published (kafka.out.unavailable=fail); try again when Kafka is back");
        }
        if (outstanding.get() >= kafka.outBuffer()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "Kafka has not yet taken " + Sizes.format(outstanding.get())
                    + " of messages (kafka.out.buffer is " + Sizes.format(kafka.outBuffer()) + "), and channel " + channel
                    + " is exported to it: nothing was published; try again shortly");
        }
    }

    /** After the engine accepted a message: queues it for Kafka. Never blocks. */
    void accepted(ChannelMessage message) {
        if (fromHere(message.publisher()) || !exports(message.channel())) {
            return;
        }
        Pending pending = new Pending(message, ExportedMessage.json(message).getBytes(StandardCharsets.UTF_8), System.nanoTime());
        long total = outstanding.addAndGet(pending.bytes());
        if (total > kafka.outBuffer() && total != pending.bytes()) {
            drop(pending, "kafka.out.buffer (" + Sizes.format(kafka.outBuffer()) + ") is full of messages Kafka has not taken");
            return;
        }
        synchronized (queue) {
            if (stopping) {
                drop(pending, "the node is stopping");
                return;
            }
            queue.add(pending);
            queue.notifyAll();
        }
    }

    @Override
    public void run() {
        Pending next;
        while ((next = take()) != null) {
            if (!send(next) && !putBack(next)) {
                return;
            }
        }
    }

    /**
     * The next message to send, waiting for one and, while Kafka does not answer, for Kafka (the message stays in the
     * bounded queue rather than in the producer, which would give up on it after max.block.ms); null once stopping with
     * nothing left to send, or nothing Kafka can take.
     */
    private Pending take() {
        synchronized (queue) {
            while (!stopping && (queue.isEmpty() || !reachable.getAsBoolean())) {
                expire();
                try {
                    queue.wait(queue.isEmpty() ? 0 : RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (stopping && !reachable.getAsBoolean()) {
                dropAll("the node stopped while Kafka was unreachable");
                return null;
            }
            return queue.poll();
        }
    }

    /** Drops, oldest first, the waiting messages that are past kafka.out.timeout: Kafka stayed away too long for them. */
    private void expire() {
        long now = System.nanoTime();
        Pending head;
        while ((head = queue.peek()) != null && now - head.acceptedNanos() > kafka.outTimeout().toNanos()) {
            drop(queue.poll(), "Kafka did not take it within kafka.out.timeout (" + Durations.format(kafka.outTimeout()) + ")");
        }
    }

    private void dropAll(String reason) {
        Pending left;
        while ((left = queue.poll()) != null) {
            drop(left, reason);
        }
    }

    /**
     * The producer could not take the message (it knows nothing of the topic yet, or no longer, as Kafka went away): the
     * message goes back to the head of the queue for another try shortly. False when stopping: then what is left is
     * dropped and reported.
     */
    private boolean putBack(Pending pending) {
        synchronized (queue) {
            if (stopping) {
                drop(pending, "the node stopped before Kafka could take it");
                dropAll("the node stopped before Kafka could take it");
                return false;
            }
            queue.addFirst(pending);
            try {
                queue.wait(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    /**
     * Hands one message to the producer; false when the producer refused it before taking it (no metadata of the topic
     * within max.block.ms: Kafka is unreachable), so that it can be tried again.
     */
    private boolean send(Pending pending) {
        long waited = System.nanoTime() - pending.acceptedNanos();
        if (waited > kafka.outTimeout().toNanos()) {
            drop(pending, "Kafka did not take it within kafka.out.timeout (" + Durations.format(kafka.outTimeout()) + ")");
            return true;
        }
        ChannelMessage message = pending.message();
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_HEADER, source);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(kafka.outTopic().orElseThrow(), null,
                message.channel().value().getBytes(StandardCharsets.UTF_8), pending.value(), headers);
        Completion completion = new Completion(pending);
        try {
            producer.send(record, completion);
        } catch (InterruptException e) {
            drop(pending, "the node is stopping");
            return true;
        } catch (KafkaException e) {
            drop(pending, "Kafka did not take it: " + e.getMessage());
            return true;
        }
        return completion.returned();
    }

    /**
     * The end of one send. The producer reports a failure to even take a record (no metadata in time) by calling back
     * from inside send(); such a message was never in the producer, and is tried again rather than dropped. A failure
     * after send() returned is final: the producer has retried until delivery.timeout.ms.
     */
    private final class Completion implements Callback {
        private final Pending pending;
        private boolean returned; // guarded by this
        private boolean refused; // guarded by this

        Completion(Pending pending) {
            this.pending = pending;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            synchronized (this) {
                if (!returned && error instanceof RetriableException) {
                    refused = true;
                    return;
                }
            }
            if (error == null) {
                outstanding.addAndGet(-pending.bytes());
                counters.out.increment();
            } else {
                drop(pending, "Kafka did not take it: " + error.getMessage());
            }
        }

        /** Marks send() as returned; false when the producer refused the message inside it. */
        synchronized boolean returned() {
            returned = true;
            return !refused;
        }
    }

    private void drop(Pending pending, String reason) {
        outstanding.addAndGet(-pending.bytes());
        counters.dropped.increment();
        ChannelMessage message = pending.message();
        drops.warn("kafka: message " + message.channel() + "@" + message.offset() + " (epoch " + message.epoch()
                + ") is in its channel but not in Kafka topic " + kafka.outTopic().orElseThrow() + ": " + reason);
    }

    /** Writes the line of dropped messages that had none of their own, when it is due. */
    void flushLog() {
        drops.flush();
    }

    /**
     * Hands what is queued to the producer, then closes it, giving Kafka a few seconds for what is in flight: what it
     * does not take by then is dropped, logged and counted.
     */
    void stop() {
        synchronized (queue) {
            stopping = true;
            queue.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        drops.flush();
    }
}
