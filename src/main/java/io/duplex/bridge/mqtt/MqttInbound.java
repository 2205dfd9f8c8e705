package io.duplex.bridge.mqtt;

import io.duplex.bridge.BridgeContext;
import io.duplex.bridge.LineBudget;
import io.duplex.broker.PublishResult;
import io.duplex.config.DuplexConfig;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * MQTT → channels, one message at a time on the client's callback thread, in the order the broker sent them: each is published
 * to its channel with an idempotency key, and acknowledged to the broker (PUBACK) only after the engine accepted it, so
 * that a message the node did not publish (it stopped, it crashed) stays with the broker and comes again. While the
 * engine cannot take messages the bridge waits at that message and tries again each second. A message that cannot
 * become a channel message is skipped with one log line and counted, and acknowledged: it would never pass.
 */
final class MqttInbound {
    private static final Logger LOG = Logger.getLogger(MqttInbound.class.getName());
    private static final long ENGINE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DuplexConfig.Mqtt mqtt;
    private final MessageMapping mapping;
    private final BridgeContext context;
    private final Counters counters;
    private final MqttLink link;
    private final LineBudget skips = new LineBudget(LOG, "mqtt", "messages skipped");
    private volatile boolean waitingForEngine;

    MqttInbound(DuplexConfig.Mqtt mqtt, MessageMapping mapping, BridgeContext context, Counters counters, MqttLink link) {
        this.mqtt = mqtt;
        this.mapping = mapping;
        this.context = context;
        this.counters = counters;
        this.link = link;
    }

    /** Handles one message; returns without acknowledging it when the bridge stopped before the engine took it. */
    void arrived(MqttLink.Incoming message, BooleanSupplier stopped) {
        String topic = message.topic();
        if (own(message)) {
            counters.own.increment();
            acknowledge(message);
            return;
        }
        MessageMapping.Message mapped;
        try {
            mapped = mapping.map(topic, message.payload());
        } catch (MessageMapping.Unfit e) {
            skip(topic, message, e.getMessage());
            return;
        }
        String key = mapping.key(topic, message.payload(), message.packetId(), message.property(mqtt.inId().name()),
                mapped.data());
        List<BridgeContext.Inbound> one = List.of(new BridgeContext.Inbound(mapped.channel(), mapped.data(), key));
        while (true) {
            try {
                PublishResult result = context.publishAll(one).get(0);
                waitingForEngine = false;
                switch (result.outcome()) {
                    case PUBLISHED:
                        counters.in.increment();
                        break;
                    case DUPLICATE:
                        counters.redelivered.increment();
                        break;
                    default:
                        skip(topic, message, "its id was given before to a different message (the idempotency key is "
                                + "reused): not published");
                        return;
                }
                acknowledge(message);
                return;
            } catch (DuplexException e) {
                if (e.code() != ErrorCode.ENGINE_UNAVAILABLE) {
                    skip(topic, message, e.getMessage());
                    return;
                }
                if (!waitingForEngine) {
                    LOG.warning(() -> "mqtt: the engine does not take messages (" + e.getMessage() + "): the message of "
                            + topic + " waits, tried again each second, and the ones after it wait with it");
                }
                waitingForEngine = true;
                LockSupport.parkNanos(ENGINE_RETRY_NANOS);
                if (stopped.getAsBoolean()) {
                    return; // not acknowledged: the broker keeps it for this session
                }
            }
        }
    }

    /** Whether this Duplex published the message itself (mqtt.out.*) and its own subscription brought it back. */
    private boolean own(MqttLink.Incoming message) {
        return message.property(MqttOutbound.SOURCE_PROPERTY).filter(mqtt.inGroup()::equals).isPresent();
    }

    private void skip(String topic, MqttLink.Incoming message, String reason) {
        counters.skipped.increment();
        skips.warn("mqtt: skipped a message of topic " + printable(topic) + " (" + message.payload().length + " bytes, QoS "
                + message.qos() + "): " + reason);
        acknowledge(message);
    }

    private static String printable(String topic) {
        String shown = topic.length() > 120 ? topic.substring(0, 120) + "…" : topic;
        StringBuilder out = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }

    private void acknowledge(MqttLink.Incoming message) {
        if (message.qos() == 0) {
            return;
        }
        try {
            link.acknowledge(message);
        } catch (MqttLink.LinkException e) {
            // The connection went: the broker delivers the message again, and its key makes that a repeat.
            LOG.fine(() -> "mqtt: could not acknowledge message " + message.packetId() + ": " + e.getMessage());
        }
    }

    boolean waitingForEngine() {
        return waitingForEngine;
    }

    void flushLog() {
        skips.flush();
    }
}
