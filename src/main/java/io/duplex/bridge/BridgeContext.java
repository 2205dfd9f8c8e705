package io.duplex.bridge;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import java.util.concurrent.ScheduledExecutorService;

/** What a bridge may do with the node it runs in. */
public interface BridgeContext {

    /**
     * Publishes a message that came from outside, as this bridge. A message published again with the same
     * {@code idempotencyKey} (a redelivery) reaches subscribers once.
     *
     * @return the message as the engine holds it, and whether it was a repeat that subscribers had already had
     * @throws io.duplex.error.DuplexException {@code engine_unavailable} when the engine did not take it (try again),
     *         or another code when the message is not valid for a channel (too large)
     */
    Published publish(ChannelName channel, Payload data, String idempotencyKey);

    /** What became of an inbound publish: the message in the engine, and whether it was a repeat (not delivered again). */
    record Published(ChannelMessage message, boolean repeat) {
    }

    /**
     * Whether the engine delivers every message to the subscribers of every node (Redis), so that the nodes may share an
     * outside system's work; false for the memory engine, whose messages reach this node's subscribers only.
     */
    boolean sharedEngine();

    /** The node's timer, for short tasks that never block. */
    ScheduledExecutorService timer();
}
