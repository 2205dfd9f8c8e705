package io.duplex.bridge.mqtt;

import io.duplex.bridge.OutboundQueue;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.DuplexConfig;
import io.duplex.protocol.ExportedMessage;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Channels → MQTT: every message this node accepts on an exported channel, unless it came from MQTT, is published to
 * its topic (mqtt.out.topic) with mqtt.out.qos and mqtt.out.retain, marked with the user property {@code duplex-source}
 * so that the bridge's own subscriptions know it. Publishers never wait for the broker: messages wait in a bounded
 * buffer for a sender thread ({@link OutboundQueue}, the same for every bridge), which keeps a few publishes in flight. While the broker is unreachable a publish to an
 * exported channel is refused before the engine takes it (mqtt.out.unavailable=fail) or buffered (buffer); a message
 * the broker does not take in time is dropped, logged and counted.
 */
final class MqttOutbound implements OutboundQueue.Sender {
    /** Marks the messages this Duplex published, so that its own subscriptions skip them when they come back. */
    static final String SOURCE_PROPERTY = "duplex-source";
    private static final Logger LOG = Logger.getLogger(MqttOutbound.class.getName());
    private static final long RETRY_MILLIS = 200;
    /** Publishes waiting for the broker's acknowledgement at once: below Mosquitto's default receive maximum (20). */
    static final int IN_FLIGHT = 10;

    private final DuplexConfig.Mqtt mqtt;
    private final MqttLink link;
    /** The mark of this Duplex's own messages, where the protocol can carry one (MQTT 5); none with 3.1.1. */
    private final Map<String, String> mark;
    private final OutboundQueue queue;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

    MqttOutbound(DuplexConfig.Mqtt mqtt, String name, Counters counters, BooleanSupplier reachable, MqttLink link) {
        this.mqtt = mqtt;
        this.link = link;
        this.mark = link.userProperties() ? Map.of(SOURCE_PROPERTY, mqtt.inGroup()) : Map.of();
        this.queue = new OutboundQueue(new OutboundQueue.Terms(name, "mqtt.out", "the MQTT broker", "MQTT topic", mqtt.outChannels(),
                mqtt.outBuffered(), mqtt.outBuffer(), mqtt.outTimeout()), counters, reachable, LOG);
    }

    void start() {
        queue.start(this);
    }

    /** Before the engine: with mqtt.out.unavailable=fail, refuses what the broker could not take now. */
    void check(ChannelName channel, Publisher publisher) {
        queue.check(channel, publisher);
    }

    /** After the engine accepted a message: queues it for the broker. Never blocks. */
    void accepted(ChannelMessage message) {
        if (queue.carries(message.channel(), message.publisher())) {
            String topic = mqtt.outTopic().render(TopicNames.toTopic(message.channel().value()));
            queue.offer(message, topic, payload(message));
        }
    }

    /** mqtt.out.payload: the data as JSON (a JSON string as its bare text), or the whole message as JSON. */
    private byte[] payload(ChannelMessage message) {
        if (mqtt.outWholeMessage()) {
            return ExportedMessage.json(message).getBytes(StandardCharsets.UTF_8);
        }
        if (message.data().value() instanceof JsonString string) {
            return string.getString().getBytes(StandardCharsets.UTF_8);
        }
        return message.data().json().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Hands one message to the client, once one of the in-flight places is free; false when the client refused it before
     * taking it (not connected), so that it is tried again. A QoS 1 or 2 message the client took stays with it until the
     * broker acknowledged it, through reconnections (the session is kept): its place is freed then.
     */
    @Override
    public boolean send(OutboundQueue.Pending pending) {
        try {
            if (!inFlight.tryAcquire(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            link.publish(pending.destination(), pending.payload(), mqtt.outQos(), mqtt.outRetain(), mark, new Completion(pending));
            return true;
        } catch (MqttLink.LinkException e) {
            inFlight.release();
            if (e.kind() == MqttLink.LinkException.Kind.NOT_CONNECTED) {
                return false;
            }
            queue.failed(pending, "the MQTT client refused it: " + e.getMessage());
            return true;
        }
    }

    /** The broker's acknowledgement (or, at QoS 0, the write): the message is out. */
    private final class Completion implements MqttLink.Completion {
        private final OutboundQueue.Pending pending;

        Completion(OutboundQueue.Pending pending) {
            this.pending = pending;
        }

        @Override
        public void done() {
            inFlight.release();
            queue.taken(pending);
        }

        @Override
        public void failed(String why) {
            inFlight.release();
            queue.failed(pending, why);
        }
    }

    void flushLog() {
        queue.flushLog();
    }

    /** How many messages wait for the broker, queued or in flight. */
    int waiting() {
        return queue.queued() + (IN_FLIGHT - inFlight.availablePermits());
    }

    /**
     * Sends what is queued while the broker is there, for a few seconds, and waits for what is in flight; what is left
     * then is dropped, logged and counted.
     */
    void stop() {
        queue.stop(Duration.ofSeconds(10));
        try {
            if (inFlight.tryAcquire(IN_FLIGHT, 5, TimeUnit.SECONDS)) {
                inFlight.release(IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.flushLog();
    }
}
