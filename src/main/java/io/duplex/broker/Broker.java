package io.duplex.broker;

import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The engine that carries messages between nodes and keeps each channel's history. Every engine keeps
 * the same promises, checked by one contract test suite run against each:
 * <ul>
 *   <li>{@link #publish} assigns the channel's next offset, stores the message in history and hands it to
 *       the {@link BrokerListener} of every node that {@link #subscribe subscribed} to the channel, or
 *       throws: a returned message is never lost.</li>
 *   <li>Per channel, each node's listener sees messages in offset order.</li>
 *   <li>The epoch of a channel changes whenever its history is lost, so a gap is never hidden.</li>
 * </ul>
 */
public interface Broker {

    /** The engine's name, as shown by {@code /api/health}: {@code memory} or {@code redis}. */
    String name();

    /**
     * Whether messages published on one node reach the subscribers of every node sharing this engine (Redis), rather
     * than this node's alone (memory): what a bridge must know before it shares an outside system's work among nodes.
     */
    default boolean sharesChannels() {
        return false;
    }

    /** Starts delivering published messages of subscribed channels to the listener. Called once. */
    void start(BrokerListener listener);

    /**
     * Appends a message to the channel and delivers it, unless its idempotency key says it was published already.
     *
     * @return what became of it: {@link PublishResult.Outcome#PUBLISHED} with the message's offset, epoch and time;
     *         {@link PublishResult.Outcome#DUPLICATE} with the first publish's; or {@link PublishResult.Outcome#KEY_REUSED}
     * @throws io.duplex.error.DuplexException with {@code engine_unavailable} when it was not accepted
     */
    default PublishResult publish(PublishRequest request) {
        return publishAll(List.of(request)).get(0);
    }

    /**
     * Publishes the requests in order, as {@link #publish} does each: a channel's messages get rising offsets in the
     * order of the list (other publishers' messages may come between them). Stops after the first request answered
     * {@link PublishResult.Outcome#KEY_REUSED}, so the list returned is one result per request up to that one: what was
     * published is always a prefix of the requests.
     *
     * @throws io.duplex.error.DuplexException with {@code engine_unavailable} when the engine did not take them: then
     *         none was published (unless the engine timed out, which the message says)
     */
    List<PublishResult> publishAll(List<PublishRequest> requests);

    /**
     * {@link #publishAll} without waiting for the engine: the stage completes with what it would return, or
     * exceptionally with what it would throw. Requests submitted one after another get offsets in that order even while
     * earlier ones are still under way, so a caller may have several out at once. This default publishes on the
     * caller's thread (the memory engine, which never waits); a distributed engine answers from its own.
     */
    default CompletionStage<List<PublishResult>> publishAllAsync(List<PublishRequest> requests) {
        try {
            return CompletableFuture.completedFuture(publishAll(requests));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The channel's epoch and latest offset (0 for a channel nothing was published to). */
    StreamPosition position(ChannelName channel);

    /** Messages of the channel's retained history, as the query asks. */
    History history(ChannelName channel, HistoryQuery query);

    /**
     * This node wants the channel's messages. Called when the node gains its first subscriber of it; must not block.
     * Every message published after the next {@link #position} or {@link #history} of the channel returns is delivered
     * (a distributed engine confirms a subscription asynchronously, and that read waits for the confirmation), which is
     * what the node's subscribe-then-read seam needs.
     */
    void subscribe(ChannelName channel);

    /** This node no longer wants the channel's messages. Must not block. */
    void unsubscribe(ChannelName channel);

    /** Channels that have a history (were published to and are still known to the engine). */
    Collection<ChannelName> channels();

    /** Whether the engine can take publishes now. */
    boolean healthy();

    /** Releases the engine's resources; no more deliveries after it returns. */
    void close();
}
