package io.duplex.bench;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One client WebSocket connection of the generator. Touched only by its {@link Loop}'s thread. */
final class Conn {
    enum State { CONNECTING, HANDSHAKING, OPEN, CLOSED }

    final Wire wire;
    final Listener listener;
    /** The channel this connection subscribes to or publishes to, by index into the scenario's channel names. */
    final int channel;
    final boolean publisher;
    SocketChannel socket;
    SelectionKey key;
    State state = State.CONNECTING;
    /** Bytes read and not yet parsed (a frame cut by the read). */
    byte[] carry;
    int carryLength;
    /** Bytes the socket did not take yet. */
    ByteBuffer pending;
    /** The last sequence number (Duplex: offset) received in order; -1 when the next one starts the count. */
    long last = -1;
    boolean ready;
    long received;
    int closeCode;
    long startedNanos;
    /** Free for the scenario: e.g. the index of the connection in its list. */
    int tag;

    Conn(Wire wire, Listener listener, int channel, boolean publisher) {
        this.wire = wire;
        this.listener = listener;
        this.channel = channel;
        this.publisher = publisher;
    }

    /** What happens on a connection, as the scenario counts it. All calls come on the loop's thread. */
    interface Listener {
        /** The connection is usable: connected and, for a subscriber, subscribed. */
        void ready(Conn c);

        /** A channel message: its sequence number (Duplex: its offset) and the nanoTime it was meant to be published at. */
        void message(Conn c, long seq, long sentNanos);

        /** The server answered a publish: Duplex's {@code published} with the offset it got. */
        default void published(Conn c, long offset) {
        }

        /** An error frame or an unexpected text. */
        void error(Conn c, String text);

        /** The connection closed (code, or 1006 when it dropped without a close frame). */
        void closed(Conn c, int code);
    }
}
