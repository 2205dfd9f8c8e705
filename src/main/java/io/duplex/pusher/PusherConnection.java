package io.duplex.pusher;

import io.duplex.channel.Door;
import io.duplex.core.Connection;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Pusher socket as core sees it: the WebSocket under it writes the frames; keep-alives are {@code pusher:ping}; a close
 * carries the Pusher code that tells pusher-js what to do next ({@link #code}).
 */
public final class PusherConnection implements Connection {
    /** How the transport closes the WebSocket with a code of the Pusher protocol. */
    public interface Closer {
        void close(int code, String reason);
    }

    private final Connection transport;
    private final Closer closer;
    private final Framing framing;
    private volatile Runnable pinger = () -> { };

    PusherConnection(Connection transport, Closer closer, Framing framing) {
        this.transport = transport;
        this.closer = closer;
        this.framing = framing;
    }

    /** How a keep-alive is sent once the socket has its session: a pusher:ping through the session's queue. */
    void pingWith(Runnable pinger) {
        this.pinger = pinger;
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        transport.send(frames, done);
    }

    @Override
    public void ping() {
        pinger.run();
    }

    @Override
    public void close(DisconnectReason reason) {
        closer.close(code(reason), reason.reason());
    }

    @Override
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Door door() {
        return PusherDoor.DOOR;
    }

    @Override
    public Framing framing() {
        return framing;
    }

    /**
     * The Pusher close code for a reason of core's (pusher-js: 4000-4099 do not reconnect, 4100-4199 reconnect after a
     * back-off, 4200-4299 reconnect at once).
     */
    static int code(DisconnectReason reason) {
        return switch (reason) {
            case CLIENT_CLOSED -> 1000;
            case FRAME_TOO_LARGE -> 1009;
            case NOT_SECURE -> 4000;
            case UNAUTHORIZED, TOKEN_EXPIRED, ORIGIN_NOT_ALLOWED, POLICY, CONNECT_TIMEOUT, TOO_MANY_CONNECTIONS -> 4009;
            case TOO_SLOW, SEND_STALLED, RATE_LIMIT, HANDSHAKE_RATE_LIMIT -> 4100;
            case NO_HEARTBEAT -> 4201;
            case GOING_AWAY, DISCONNECTED, RESUBSCRIBE -> 4200;
        };
    }
}
