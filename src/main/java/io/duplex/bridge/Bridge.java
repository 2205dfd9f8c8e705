package io.duplex.bridge;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;

/**
 * A link between this node's channels and an outside messaging system (Kafka, MQTT), made by a {@link BridgeProvider}
 * when the {@code bridges} setting names it. Inbound, it publishes what it receives through its {@link BridgeContext};
 * outbound, it hears every publish this node accepts and passes on those it exports, never its own.
 */
public interface Bridge {

    /**
     * Starts the bridge. Returns once it is under way: an outside system that does not answer is no reason to wait long
     * or to fail, the bridge reports itself down and connects when it can. Throws {@link BridgeException} for a
     * configuration that cannot work (an unknown topic, refused credentials), which fails the node's start.
     */
    void start(BridgeContext context);

    /** What an operator sees of it in /api/health and the console. Must not block. */
    BridgeStatus status();

    /**
     * Before this node's engine takes a publish: throws {@code engine_unavailable} to refuse a message the bridge
     * would have to pass on and cannot. Must not block.
     */
    default void check(ChannelName channel, Publisher publisher) {
    }

    /**
     * A message this node published (once per message, on the accepting node; repeats of an idempotent publish are
     * not reported). Its publisher names the door it came through: a bridge must not send back what it brought in
     * (its own door). Must not block: the publisher waits for it.
     */
    default void accepted(ChannelMessage message) {
    }

    /** Stops the bridge and every thread it started; what it accepted but could not pass on is reported, not lost quietly. */
    void stop();
}
