package io.duplex.core;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.StreamPosition;
import io.duplex.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's subscription to one channel, and the seam between recovered history and live messages.
 *
 * <p>A subscription is registered for live messages before history is read, and until it is activated
 * it holds what arrives. Activation sends the {@code subscribed} reply, the recovered messages, then the
 * held ones newer than the last recovered: no gap and no duplicate at the seam, whatever the timing.
 * After that, a message at or below the last delivered offset of the same epoch is a duplicate and dropped.
 */
final class Subscription {
    private record Held(ChannelMessage message, OutboundFrame frame) {
    }

    private final ClientSession session;
    private final ChannelName channel;
    private final int holdLimit;
    private List<Held> held = new ArrayList<>();
    private String epoch;
    private long offset;

    Subscription(ClientSession session, ChannelName channel, int holdLimit) {
        this.session = session;
        this.channel = channel;
        this.holdLimit = holdLimit;
    }

    ClientSession session() {
        return session;
    }

    ChannelName channel() {
        return channel;
    }

    /** A live message of the channel. Returns false if the session could not take it (its queue overflowed). */
    synchronized boolean deliver(ChannelMessage message, OutboundFrame frame) {
        if (held != null) {
            if (held.size() >= holdLimit) {
                return false;
            }
            held.add(new Held(message, frame));
            return true;
        }
        if (message.epoch().equals(epoch) && message.offset() <= offset) {
            return true;
        }
        epoch = message.epoch();
        offset = message.offset();
        return session.send(frame);
    }

    /**
     * Ends the hold: sends the reply, the recovered messages (those after the client's offset up to
     * {@code position}) and the held messages newer than {@code position}.
     */
    synchronized void activate(ServerFrame.Subscribed reply, StreamPosition position, List<ChannelMessage> recovered) {
        session.send(OutboundFrame.of(reply));
        for (ChannelMessage message : recovered) {
            session.send(OutboundFrame.of(new ServerFrame.MessagePush(message)));
        }
        epoch = position.epoch();
        offset = position.offset();
        List<Held> waiting = held;
        held = null;
        for (Held h : waiting) {
            if (!h.message().epoch().equals(epoch) || h.message().offset() > offset) {
                epoch = h.message().epoch();
                offset = h.message().offset();
                session.send(h.frame());
            }
        }
    }
}
