package io.duplex.core;

import io.duplex.channel.Door;
import io.duplex.error.DisconnectReason;
import java.util.List;
import java.util.function.Consumer;

/**
 * The transport under one client session: what core needs of a connection, and nothing else. Protocol v1's WebSocket
 * is one; the other doors (SSE, STOMP, Pusher) are others, each writing core's frames in its own protocol
 * ({@link #framing()}).
 */
public interface Connection {

    /**
     * Starts writing these frames, in order, each a text message of its own, without blocking. {@code done} is
     * called with null once all are written, or with the failure. The caller never has two writes outstanding. A
     * transport may write them with one system call; the frames may be shared with other connections and are never
     * changed.
     */
    void send(List<OutboundFrame> frames, Consumer<Throwable> done);

    /**
     * Sends a WebSocket ping (or the door's own keep-alive) without blocking the caller. (Jakarta WebSocket's {@code sendPing} blocks until
     * the frame is written, so implementations hand it to another thread.)
     */
    void ping();

    /** Closes the connection with the reason's code and phrase, without blocking the caller. */
    void close(DisconnectReason reason);

    /** The client's address as {@code host:port}, for operators. */
    String remoteAddress();

    /** The door the client came through: shown in {@code /api/sessions} and counted apart. */
    default Door door() {
        return Door.WEBSOCKET;
    }

    /** How what core sends is written in this door's protocol. */
    default Framing framing() {
        return Framing.V1;
    }

    /**
     * Whether the client answers {@link #ping()}. A one-way stream (SSE) cannot: it is pinged to keep proxies from
     * closing it and is never closed for silence; a dead reader shows as a stalled or failed write instead.
     */
    default boolean answersPings() {
        return true;
    }
}
