package io.duplex.pusher;

/**
 * A mistake of a Pusher client, answered with {@code pusher:error} (the connection stays open), or, with a close
 * code, a reason to close it. Codes are Pusher's: 4001 app does not exist, 4003 app disabled, 4004 over connection
 * quota, 4007 unsupported protocol version, 4009 unauthorized, 4100 over capacity, 4200 reconnect, 4201 pong not
 * received, 4301 client event rejected (rate or size); null for errors Pusher gives no code (bad JSON, unknown event,
 * bad signature).
 */
public final class PusherError extends RuntimeException {
    private final Integer code;

    public PusherError(Integer code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Integer code() {
        return code;
    }
}
