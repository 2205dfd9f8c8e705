package io.duplex.core;

import io.duplex.broker.History;
import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's subscription to one channel: the seam between recovered history and live messages, and the guard
 * that the session sees the channel's offsets one by one, each once.
 *
 * <p>A subscription is registered for live messages before history is read, and until it is activated it holds what
 * arrives. Activation sends the {@code subscribed} reply, the recovered messages, then the held ones newer than the
 * last recovered: no gap and no duplicate at the seam, whatever the timing.
 *
 * <p>After that, a message at or below the last offset sent is a duplicate and dropped. A message further ahead than
 * the next offset means the engine lost some on the way (a distributed engine's connection dropped): the subscription
 * holds live messages again and asks for a {@link #repair} from history, which fills the gap and then sends what it
 * held. A message of another epoch, or a gap history no longer covers, cannot be repaired: the subscription is
 * {@link Outcome#INTERRUPTED} and the session must be told (it is closed with 4006 and recovers on resubscribing).
 */
final class Subscription {
    /** What the subscription did with a message, a repair or a check; the node acts on the last three. */
    enum Outcome {
        /** Sent, dropped as a duplicate, or held until activation or repair. */
        OK,
        /** The session's outbound queue, or the hold, is full: the session is too slow. */
        OVERFLOW,
        /** Messages are missing before the one that arrived: read history after {@link #offset()} and repair. */
        GAP,
        /** The gap cannot be filled from history: the session must resubscribe. */
        INTERRUPTED
    }

    private record Held(ChannelMessage message, OutboundFrame frame) {
    }

    private final ClientSession session;
    private final ChannelName channel;
    private final Framing framing;
    /** What the door named the subscription (STOMP's subscription id), or null. */
    private final String tag;
    private final int holdLimit;
    /** Messages waiting for activation or for a repair; null while messages go straight through. */
    private List<Held> held = new ArrayList<>();
    private boolean active;
    private boolean interrupted;
    /** The engine re-subscribed before activation: what activation read may already be behind. */
    private boolean recheck;
    private String epoch;
    private long offset;

    Subscription(ClientSession session, ChannelName channel, String tag, int holdLimit) {
        this.session = session;
        this.channel = channel;
        this.framing = session.connection().framing();
        this.tag = tag;
        this.holdLimit = holdLimit;
    }

    ClientSession session() {
        return session;
    }

    ChannelName channel() {
        return channel;
    }

    Framing framing() {
        return framing;
    }

    String tag() {
        return tag;
    }

    /** The last offset sent to the session: a repair reads history after it. */
    synchronized long offset() {
        return offset;
    }

    /** A live message of the channel. */
    synchronized Outcome deliver(ChannelMessage message, OutboundFrame frame) {
        if (interrupted) {
            return Outcome.OK;
        }
        if (held != null) {
            if (held.size() >= holdLimit) {
                return Outcome.OVERFLOW;
            }
            held.add(new Held(message, frame));
            return Outcome.OK;
        }
        return forward(message, frame);
    }

    /**
     * Ends the hold: sends the reply (the door's, if it has one), the recovered messages (those after the client's
     * offset up to {@code position}) and the held messages newer than {@code position}.
     */
    synchronized Outcome activate(OutboundFrame reply, StreamPosition position, List<ChannelMessage> recovered) {
        if (reply != null) {
            session.send(reply);
        }
        for (ChannelMessage message : recovered) {
            send(message);
        }
        epoch = position.epoch();
        offset = position.offset();
        active = true;
        Outcome outcome = release();
        if (outcome == Outcome.OK && recheck && held == null) {
            held = new ArrayList<>();
            return Outcome.GAP;
        }
        return outcome;
    }

    /**
     * Fills a gap from {@code history}, read after {@link #offset()} while the subscription held live messages, then
     * sends what it held. {@link Outcome#INTERRUPTED} when history no longer has what is missing (another epoch, past
     * retention) or the gap is more than half the hold (sending it would overflow the session's queue: the session
     * resubscribes and is told {@code recovered:false}, as a subscribe with {@code since} would be).
     */
    synchronized Outcome repair(History history) {
        if (interrupted || held == null) {
            return Outcome.OK;
        }
        if (!history.epoch().equals(epoch) || history.offset() - offset > holdLimit / 2) {
            return interrupt();
        }
        for (ChannelMessage message : history.messages()) {
            if (message.offset() <= offset) {
                continue;
            }
            if (message.offset() != offset + 1) {
                return interrupt();
            }
            offset = message.offset();
            if (!send(message)) {
                return Outcome.OVERFLOW;
            }
        }
        if (history.offset() > offset) {
            // History said it had more than it gave: dropped by retention between the two looks.
            return interrupt();
        }
        return release();
    }

    /**
     * After the engine re-subscribed the channel (messages published meanwhile never arrived live): compares what was
     * sent with the channel's position. {@link Outcome#GAP} when the session is behind, so a repair follows.
     */
    synchronized Outcome check(StreamPosition position) {
        if (interrupted || held != null && active) {
            // Already repairing: the repair reads history after this re-subscription.
            return Outcome.OK;
        }
        if (!active) {
            // Activation may have read the channel before the re-subscription: look again once it is active.
            recheck = true;
            return Outcome.OK;
        }
        if (!position.epoch().equals(epoch)) {
            return interrupt();
        }
        if (position.offset() > offset) {
            held = new ArrayList<>();
            return Outcome.GAP;
        }
        return Outcome.OK;
    }

    /** The session is being told to resubscribe: nothing more is sent on this subscription. */
    synchronized Outcome interrupt() {
        interrupted = true;
        held = null;
        return Outcome.INTERRUPTED;
    }

    /** Sends the held messages in order; stops holding unless one of them reveals another gap. */
    private Outcome release() {
        List<Held> waiting = held;
        held = null;
        for (int i = 0; i < waiting.size(); i++) {
            Held h = waiting.get(i);
            Outcome outcome = forward(h.message(), h.frame());
            if (outcome == Outcome.GAP) {
                // forward() started a new hold with this message; the ones after it wait in it too.
                held.addAll(waiting.subList(i + 1, waiting.size()));
                return outcome;
            }
            if (outcome != Outcome.OK) {
                return outcome;
            }
        }
        return Outcome.OK;
    }

    /** Sends the next message, drops a duplicate, or starts holding at a gap. */
    private Outcome forward(ChannelMessage message, OutboundFrame frame) {
        if (!message.epoch().equals(epoch)) {
            // A message of an older epoch arriving late, or a history lost since the session's position: the two cannot
            // be told apart, and only the second matters, so the session is told to resubscribe either way.
            return interrupt();
        }
        if (message.offset() <= offset) {
            return Outcome.OK;
        }
        if (message.offset() > offset + 1) {
            held = new ArrayList<>();
            held.add(new Held(message, frame));
            return Outcome.GAP;
        }
        offset = message.offset();
        // A null frame: the framing excludes this subscription from the message (Framing.excluded); it counts as sent.
        return frame == null || session.send(frame) ? Outcome.OK : Outcome.OVERFLOW;
    }

    /** Sends a message read from history in this subscription's framing, unless the framing excludes it. */
    private boolean send(ChannelMessage message) {
        if (tag != null && tag.equals(framing.excluded(message))) {
            return true;
        }
        return session.send(framing.message(message, tag));
    }
}
