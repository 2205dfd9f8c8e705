package io.duplex.core;

import io.duplex.error.DisconnectReason;
import java.util.function.Consumer;

/** The transport under one client session: what core needs of a WebSocket connection, and nothing else. */
public interface Connection {

    /**
     * Starts sending one text frame without blocking. {@code done} is called with null once it is written,
     * or with the failure. The caller never has two sends outstanding.
     */
    void send(String text, Consumer<Throwable> done);

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
