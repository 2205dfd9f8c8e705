package io.duplex.bridge.mqtt;

import io.duplex.bridge.LineBudget;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.ChannelPattern;
import io.duplex.config.DuplexConfig;
import io.duplex.config.Durations;
import io.duplex.config.Sizes;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import io.duplex.protocol.ExportedMessage;
import jakarta.json.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Channels → MQTT: every message this node accepts on an exported channel, unless it came from MQTT, is published to
 * its topic (mqtt.out.topic) with mqtt.out.qos and mqtt.out.retain, marked with the user property {@code duplex-source}
 * so that the bridge's own subscriptions know it. Publishers never wait for the broker: messages wait in a bounded
 * buffer for a sender thread, which keeps a few publishes in flight. While the broker is unreachable a publish to an
 * exported channel is refused before the engine takes it (mqtt.out.unavailable=fail) or buffered (buffer); a message
 * the broker does not take in time is dropped, logged and counted.
 */
final class MqttOutbound implements Runnable {
    /** Marks the messages this Duplex published, so that its own subscriptions skip them when they come back. */
    static final String SOURCE_PROPERTY = "duplex-source";
    private static final Logger LOG = Logger.getLogger(MqttOutbound.class.getName());
    private static final int MESSAGE_OVERHEAD_BYTES = 64;
    private static final long RETRY_MILLIS = 200;
    /** Publishes waiting for the broker's acknowledgement at once: below Mosquitto's default receive maximum (20). */
    static final int IN_FLIGHT = 10;

    private final DuplexConfig.Mqtt mqtt;
    private final String name;
    private final Counters counters;
    private final BooleanSupplier reachable;
    private final MqttLink link;
    /** The mark of this Duplex's own messages, where the protocol can carry one (MQTT 5); none with 3.1.1. */
    private final Map<String, String> mark;
    private final List<ChannelPattern> patterns;
    private final LineBudget drops = new LineBudget(LOG, "mqtt", "messages dropped");
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    /** Bytes of messages accepted and not yet taken by the broker (or dropped): what mqtt.out.buffer bounds. */
    private final AtomicLong outstanding = new AtomicLong();
    private final Thread thread;
    private boolean stopping; // guarded by queue

    /** A message on its way: accepted by Duplex, not yet taken by the broker. */
    private record Pending(ChannelMessage message, String topic, byte[] payload, long acceptedNanos) {
        long bytes() {
            return payload.length + topic.length() + MESSAGE_OVERHEAD_BYTES;
        }
    }

    MqttOutbound(DuplexConfig.Mqtt mqtt, String name, Counters counters, BooleanSupplier reachable,
            MqttLink link) {
        this.mqtt = mqtt;
        this.name = name;
        this.counters = counters;
        this.reachable = reachable;
        this.link = link;
        this.mark = link.userProperties() ? Map.of(SOURCE_PROPERTY, mqtt.inGroup()) : Map.of();
        this.patterns = mqtt.outChannels();
        this.thread = new Thread(this, "duplex-mqtt-out");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

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

    /** Before the engine: with mqtt.out.unavailable=fail, refuses what the broker could not take now. */
    void check(ChannelName channel, Publisher publisher) {
        if (mqtt.outBuffered() || fromHere(publisher) || !exports(channel)) {
            return;
        }
        if (!reachable.getAsBoolean()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the MQTT broker is unreachable, and channel " + channel
                    + " is exported to it: nothing was published (mqtt.out.unavailable=fail); try again when it is back");
        }
        if (outstanding.get() >= mqtt.outBuffer()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, "the MQTT broker has not yet taken "
                    + Sizes.format(outstanding.get()) + " of messages (mqtt.out.buffer is " + Sizes.format(mqtt.outBuffer())
                    + "), and channel " + channel + " is exported to it: nothing was published; try again shortly");
        }
    }

    /** After the engine accepted a message: queues it for the broker. Never blocks. */
    void accepted(ChannelMessage message) {
        if (fromHere(message.publisher()) || !exports(message.channel())) {
            return;
        }
        String topic = mqtt.outTopic().render(TopicNames.toTopic(message.channel().value()));
        Pending pending = new Pending(message, topic, payload(message), System.nanoTime());
        long total = outstanding.addAndGet(pending.bytes());
        if (total > mqtt.outBuffer() && total != pending.bytes()) {
            drop(pending, "mqtt.out.buffer (" + Sizes.format(mqtt.outBuffer()) + ") is full of messages the broker has not taken");
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

    @Override
    public void run() {
        Pending next;
        while ((next = take()) != null) {
            if (!send(next) && !putBack(next)) {
                return;
            }
        }
    }

    /** The next message to send, waiting for one and for the broker; null once stopping with nothing it can take. */
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
            if (stopping && (!reachable.getAsBoolean() || queue.isEmpty())) {
                dropAll("the node stopped while the broker was unreachable");
                return null;
            }
            return queue.poll();
        }
    }

    private void expire() {
        long now = System.nanoTime();
        Pending head;
        while ((head = queue.peek()) != null && now - head.acceptedNanos() > mqtt.outTimeout().toNanos()) {
            drop(queue.poll(), "the broker did not take it within mqtt.out.timeout (" + Durations.format(mqtt.outTimeout()) + ")");
        }
    }

    private void dropAll(String reason) {
        Pending left;
        while ((left = queue.poll()) != null) {
            drop(left, reason);
        }
    }

    /** The client could not take the message (not connected): back to the head of the queue, tried again shortly. */
    private boolean putBack(Pending pending) {
        synchronized (queue) {
            if (stopping) {
                drop(pending, "the node stopped before the broker could take it");
                dropAll("the node stopped before the broker could take it");
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
     * Hands one message to the client, once one of the in-flight places is free; false when the client refused it before
     * taking it (not connected), so that it is tried again. A QoS 1 or 2 message the client took stays with it until the
     * broker acknowledged it, through reconnections (the session is kept): its place is freed then.
     */
    private boolean send(Pending pending) {
        if (System.nanoTime() - pending.acceptedNanos() > mqtt.outTimeout().toNanos()) {
            drop(pending, "the broker did not take it within mqtt.out.timeout (" + Durations.format(mqtt.outTimeout()) + ")");
            return true;
        }
        try {
            if (!inFlight.tryAcquire(RETRY_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            link.publish(pending.topic(), pending.payload(), mqtt.outQos(), mqtt.outRetain(), mark, new Completion(pending));
            return true;
        } catch (MqttLink.LinkException e) {
            inFlight.release();
            if (e.kind() == MqttLink.LinkException.Kind.NOT_CONNECTED) {
                return false;
            }
            drop(pending, "the MQTT client did not take it: " + e.getMessage());
            return true;
        }
    }

    /** The broker's acknowledgement (or, at QoS 0, the write): the message is out. */
    private final class Completion implements MqttLink.Completion {
        private final Pending pending;

        Completion(Pending pending) {
            this.pending = pending;
        }

        @Override
        public void done() {
            inFlight.release();
            outstanding.addAndGet(-pending.bytes());
            counters.out.increment();
        }

        @Override
        public void failed(String why) {
            inFlight.release();
            drop(pending, "the broker did not take it: " + why);
        }
    }

    private void drop(Pending pending, String reason) {
        outstanding.addAndGet(-pending.bytes());
        counters.dropped.increment();
        ChannelMessage message = pending.message();
        drops.warn("mqtt: message " + message.channel() + "@" + message.offset() + " (epoch " + message.epoch()
                + ") is in its channel but was not published to MQTT topic " + pending.topic() + ": " + reason);
    }

    void flushLog() {
        drops.flush();
    }

    /** How many messages wait for the broker, queued or in flight. */
    int waiting() {
        synchronized (queue) {
            return queue.size() + (IN_FLIGHT - inFlight.availablePermits());
        }
    }

    /**
     * Sends what is queued while the broker is there, for a few seconds, and waits for what is in flight; what is left
     * then is dropped, logged and counted.
     */
    void stop() {
        synchronized (queue) {
            stopping = true;
            queue.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (inFlight.tryAcquire(IN_FLIGHT, 5, TimeUnit.SECONDS)) {
                inFlight.release(IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drops.flush();
    }
}
