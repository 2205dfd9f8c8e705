package io.duplex.core;

import io.duplex.error.DisconnectReason;
import java.util.List;
import java.util.function.Consumer;

/** The transport under one client session: what core needs of a WebSocket connection, and nothing else. */
public interface Connection {

    /**
     * Starts writing these frames, in order, each a text message of its own, without blocking. {@code done} is
     * called with null once all are written, or with the failure. The caller never has two writes outstanding. A
     * transport may write them with one system call; the frames may be shared with other connections and are never
     * changed.
     */
    void send(List<OutboundFrame> frames, Consumer<Throwable> done);

    /**
     * Sends a WebSocket ping without blocking the caller. (Jakarta WebSocket's {@code sendPing} blocks until
     * the frame is written, so implementations hand it to another thread.)
     */
    void ping();

    /** Closes the connection with the reason's code and phrase, without blocking the caller. */
    void close(DisconnectReason reason);

    /** The client's address as {@code host:port}, for operators. */
    String remoteAddress();
}
