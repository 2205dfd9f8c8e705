package io.duplex.error;

/**
 * The stable error codes of protocol v1: the {@code code} of a WebSocket {@code error} frame and of a
 * REST problem document. Codes are part of the contract; they are never renamed or reused.
 */
public enum ErrorCode {
    /** The frame or body is not what the protocol asks for: bad JSON, a missing or mistyped field. */
    BAD_REQUEST("bad_request", 400),
    /** The frame's {@code type} is not a command of this protocol version. */
    UNKNOWN_COMMAND("unknown_command", 400),
    /** A command other than {@code connect} came before {@code connect} succeeded. */
    NOT_CONNECTED("not_connected", 400),
    /** A channel name breaks the naming rule: 1-255 characters of {@code A-Z a-z 0-9 _ - . : @ #}. */
    INVALID_CHANNEL("invalid_channel", 400),
    /** {@code unsubscribe} for a channel this session is not subscribed to. */
    NOT_SUBSCRIBED("not_subscribed", 409),
    /** A message's {@code data} (or a request body) is larger than the configured maximum. */
    TOO_LARGE("too_large", 413),
    /** A per-session or per-request limit was reached (subscriptions, history page size). */
    LIMIT_EXCEEDED("limit_exceeded", 429),
    /** No valid credentials. */
    UNAUTHORIZED("unauthorized", 401),
    /** Valid credentials that do not allow this action. */
    PERMISSION_DENIED("permission_denied", 403),
    /**
     * The engine (broker, history store) cannot take the request now; nothing was accepted, unless a publish timed
     * out, which its message then says (it may have been stored).
     */
    ENGINE_UNAVAILABLE("engine_unavailable", 503),
    /** A fault of the server, logged with its details; the client did nothing wrong. */
    INTERNAL("internal", 500),
    /** REST only: the session, message or path asked for does not exist. */
    NOT_FOUND("not_found", 404),
    /**
     * A publish's idempotency key was used within {@code publish.idempotency.window} for a different message (another
     * channel or other data): nothing was published. A new message needs a new key.
     */
    IDEMPOTENCY_KEY_REUSED("idempotency_key_reused", 422),
    /**
     * HTTP only: the node is draining before it stops and takes no new WebSocket connection; connect to another node
     * (a proxy retries another one by itself). Answered to the handshake, so a WebSocket client sees a failed handshake.
     */
    SHUTTING_DOWN("shutting_down", 503);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The code as it appears on the wire. */
    public String code() {
        return code;
    }

    /** The HTTP status the REST API answers this error with. */
    public int httpStatus() {
        return httpStatus;
    }
}
