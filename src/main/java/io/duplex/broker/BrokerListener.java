package io.duplex.broker;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;

/** Receives the messages of channels this node subscribed to, in offset order per channel. */
@FunctionalInterface
public interface BrokerListener {
    /** Must not block: it runs on the engine's delivery path. */
    void onMessage(ChannelMessage message);

    /**
     * The engine lost its subscription to the channel and has it again (a distributed engine's connection dropped and
     * came back): messages published in between were not delivered. Compare the last offset delivered with
     * {@link Broker#position} and recover the difference from {@link Broker#history}. Must not block: it runs on the
     * engine's delivery path, so a read of the engine belongs on another thread.
     */
    default void onResubscribed(ChannelName channel) {
    }
}
