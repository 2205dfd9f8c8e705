package io.duplex.bridge.kafka;

import io.duplex.bridge.BridgeCounters;
import io.duplex.bridge.OutboundQueue;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.DuplexConfig;
import io.duplex.protocol.ExportedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
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
 * thread ({@link OutboundQueue}, the same for every bridge; this class is how a message becomes a record and reaches the
 * producer). While Kafka is unreachable a publish to an exported channel is refused before the engine takes it
 * (kafka.out.unavailable=fail) or buffered (buffer); a message Kafka does not take in time is dropped, logged and counted.
 */
final class KafkaOutbound implements OutboundQueue.Sender {
    /** Marks the records this Duplex produced, so that its own consumer, reading the same topic, skips them. */
    static final String SOURCE_HEADER = "duplex-source";
    private static final Logger LOG = Logger.getLogger(KafkaOutbound.class.getName());

    private final DuplexConfig.Kafka kafka;
    private final byte[] source;
    private final String topic;
    private final OutboundQueue queue;
    private final KafkaProducer<byte[], byte[]> producer;

    KafkaOutbound(DuplexConfig.Kafka kafka, Properties properties, String name, BridgeCounters counters, byte[] source,
            BooleanSupplier reachable) {
        this.kafka = kafka;
        this.source = source.clone();
        this.topic = kafka.outTopic().orElseThrow();
        this.queue = new OutboundQueue(new OutboundQueue.Terms(name, "kafka.out", "Kafka", "Kafka topic", kafka.outChannels(),
                kafka.outBuffered(), kafka.outBuffer(), kafka.outTimeout()), counters, reachable, LOG);
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    void start() {
        queue.start(this);
    }

    /** Before the engine: with kafka.out.unavailable=fail, refuses what Kafka could not take now. */
    void check(ChannelName channel, Publisher publisher) {
        queue.check(channel, publisher);
    }

    /** After the engine accepted a message: queues it for Kafka. Never blocks. */
    void accepted(ChannelMessage message) {
        if (queue.carries(message.channel(), message.publisher())) {
            queue.offer(message, topic, ExportedMessage.json(message).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Hands one message to the producer; false when the producer refused it before taking it (no metadata of the topic
     * within max.block.ms: Kafka is unreachable), so that it is tried again.
     */
    @Override
    public boolean send(OutboundQueue.Pending pending) {
        ChannelMessage message = pending.message();
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_HEADER, source);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                message.channel().value().getBytes(StandardCharsets.UTF_8), pending.payload(), headers);
        Completion completion = new Completion(pending);
        try {
            producer.send(record, completion);
        } catch (InterruptException e) {
            queue.failed(pending, "the node is stopping");
            return true;
        } catch (KafkaException e) {
            queue.failed(pending, e.getMessage());
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
        private final OutboundQueue.Pending pending;
        private boolean returned; // guarded by this
        private boolean refused; // guarded by this

        Completion(OutboundQueue.Pending pending) {
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
                queue.taken(pending);
            } else {
                queue.failed(pending, error.getMessage());
            }
        }

        /** Marks send() as returned; false when the producer refused the message inside it. */
        synchronized boolean returned() {
            returned = true;
            return !refused;
        }
    }

    /** Writes the line of dropped messages that had none of their own, when it is due. */
    void flushLog() {
        queue.flushLog();
    }

    /**
     * Hands what is queued to the producer, then closes it, giving Kafka a few seconds for what is in flight: what it
     * does not take by then is dropped, logged and counted.
     */
    void stop() {
        queue.stop(Duration.ofSeconds(15));
        producer.close(Duration.ofSeconds(5));
        queue.flushLog();
    }
}
