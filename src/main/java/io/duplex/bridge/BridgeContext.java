package io.duplex.bridge;

import io.duplex.broker.PublishResult;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Payload;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** What a bridge may do with the node it runs in. */
public interface BridgeContext {

    /** A message that came from outside: its channel, its data, and the bridge's idempotency key for it. */
    record Inbound(ChannelName channel, Payload data, String idempotencyKey) {
    }

    /**
     * Publishes messages that came from outside, in order, through the bridge's own door, in one call to the engine (one
     * Redis round trip). A message published again with the same idempotency key (a redelivery) is answered
     * {@code DUPLICATE} and reaches subscribers once; a key used before for another message is answered
     * {@code KEY_REUSED}, which ends the list (the messages after it were not published).
     *
     * @throws io.duplex.error.DuplexException {@code engine_unavailable} when the engine did not take them (none was
     *         published: try again), or another code (too large) when one of them is not valid: then none was published
     */
    List<PublishResult> publishAll(List<Inbound> messages);

    /**
     * Whether the engine delivers every message to the subscribers of every node (Redis), so that the nodes may share an
     * outside system's work; false for the memory engine, whose messages reach this node's subscribers only.
     */
    boolean sharedEngine();

    /** The node's timer, for short tasks that never block. */
    ScheduledExecutorService timer();
}
