package io.duplex.broker;

import io.duplex.channel.ChannelMessage;

/** Receives the messages of channels this node subscribed to, in offset order per channel. */
@FunctionalInterface
public interface BrokerListener {
    /** Must not block: it runs on the engine's delivery path. */
    void onMessage(ChannelMessage message);
}
