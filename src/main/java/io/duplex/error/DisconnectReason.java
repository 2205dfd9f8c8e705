package io.duplex.error;

/**
 * Why the server closes a WebSocket connection: the close code and the reason phrase the client sees.
 * The codes are part of protocol v1.
 */
public enum DisconnectReason {
    /** The client closed the connection, or it dropped. Never sent by the server. */
    CLIENT_CLOSED(1000, "closed by client"),
    /** The server is shutting down or the application is being undeployed; reconnect elsewhere. */
    GOING_AWAY(1001, "server shutting down"),
    /** Authentication failed or a policy was broken. */
    POLICY(1008, "policy violation"),
    /** {@code connect} carried no valid token where one is required. */
    UNAUTHORIZED(1008, "unauthorized"),
    /** The user already has {@code connections.per.user} connections open on this node. */
    TOO_MANY_CONNECTIONS(1008, "too many connections for this user"),
    /** The handshake came from a web origin that is not allowed ({@code origins}). */
    ORIGIN_NOT_ALLOWED(1008, "origin not allowed"),
    /** Production mode and the connection is not over TLS (nor from a trusted TLS proxy). */
    NOT_SECURE(1008, "use wss://"),
    /** No {@code connect} command arrived within {@code connect.timeout}. */
    CONNECT_TIMEOUT(1008, "no connect in time"),
    /** A frame was larger than the configured maximum frame size. */
    FRAME_TOO_LARGE(1009, "frame too large"),
    /** An operator disconnected the session through {@code DELETE /api/sessions/{id}}. */
    DISCONNECTED(4001, "disconnected by the API"),
    /** The session's outbound queue overflowed: the client reads too slowly. */
    TOO_SLOW(4002, "too slow"),
    /** One send to the session took longer than {@code outbound.send.timeout}: the client stopped reading. */
    SEND_STALLED(4002, "too slow: a send stalled"),
    /** The connection's token expired and no fresh one arrived. */
    TOKEN_EXPIRED(4003, "token expired"),
    /** Nothing arrived from the client, not even a pong, within the heartbeat timeout. */
    NO_HEARTBEAT(4004, "no heartbeat"),
    /** The client sent more than its rate limit allows. */
    RATE_LIMIT(4005, "rate limit exceeded"),
    /** Too many handshakes from the client's address ({@code handshake.rate}). */
    HANDSHAKE_RATE_LIMIT(4005, "too many connections from this address"),
    /**
     * A subscription missed messages the channel's history can no longer give (its epoch changed, or retention dropped
     * them, while the engine was cut off): subscribing again with {@code since} tells the client {@code recovered:false}.
     */
    RESUBSCRIBE(4006, "missed messages: subscribe again with since");

    private final int code;
    private final String reason;

    DisconnectReason(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** The reason for a close code received from the transport, {@link #CLIENT_CLOSED} if it is none of ours. */
    public static DisconnectReason ofCode(int code) {
        for (DisconnectReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return CLIENT_CLOSED;
    }
}
