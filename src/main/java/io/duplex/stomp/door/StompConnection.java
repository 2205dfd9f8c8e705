package io.duplex.stomp.door;

import io.duplex.channel.Door;
import io.duplex.core.Connection;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import io.duplex.stomp.StompCommand;
import io.duplex.stomp.StompFrame;
import io.duplex.stomp.StompHeaders;
import io.duplex.stomp.StompVersion;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A STOMP client's WebSocket connection as core sees it: the transport's connection, written in STOMP's frames for the
 * version the client connected with. Core's pings stay WebSocket pings (every WebSocket client answers them, whatever
 * heart-beats it negotiated); a close is preceded by an ERROR frame saying why, as STOMP wants, except where the
 * client is gone or cannot take more (1000, 4002), or by the frame the door chose (a RECEIPT for DISCONNECT, the ERROR
 * of a bad frame).
 *
 * <p>After the RECEIPT of DISCONNECT the node leaves the close to the client, which closes once the RECEIPT is in (STOMP's
 * graceful disconnect), and closes itself only if the client has not within {@link #CLIENT_CLOSE_GRACE}. When both
 * sides started the close at once, the two close frames crossed and a container that shuts the TCP connection right
 * after its own close frame reset the client's: stompjs then saw an unclean close, now and then, on Tomcat and Liberty.
 */
public final class StompConnection implements Connection {
    /** The door's name in {@code /api/sessions} and in messages' publishers. */
    public static final Door DOOR = new Door("stomp");
    /** How long the node waits for the client to close after the RECEIPT of its DISCONNECT. */
    static final Duration CLIENT_CLOSE_GRACE = Duration.ofSeconds(2);

    private final Connection transport;
    private final ScheduledExecutorService timer;
    private volatile StompVersion version = StompVersion.V1_2;
    private volatile OutboundFrame farewell;
    private volatile ScheduledFuture<?> heartBeats;
    /** The client asked for a RECEIPT of its DISCONNECT: it closes once that is in. */
    private volatile boolean clientCloses;
    private volatile ScheduledFuture<?> closeIfClientDoesNot;
    private volatile boolean ended;
    /** Guarded by this: a write of the session's outbox is outstanding. */
    private boolean writing;
    /** Guarded by this: the last frame and the close, waiting for that write to end. */
    private Runnable afterWrite;

    /**
     * @param transport the WebSocket connection, which writes text messages
     * @param timer     runs heart-beats and the close a client that said DISCONNECT did not make itself
     */
    public StompConnection(Connection transport, ScheduledExecutorService timer) {
        this.transport = transport;
        this.timer = timer;
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        synchronized (this) {
            writing = true;
        }
        transport.send(frames, failure -> {
            Runnable next;
            synchronized (this) {
                writing = false;
                next = afterWrite;
                afterWrite = null;
            }
            done.accept(failure);
            if (next != null) {
                next.run();
            }
        });
    }

    @Override
    public void ping() {
        transport.ping();
    }

    @Override
    public void close(DisconnectReason reason) {
        stopHeartBeats();
        OutboundFrame last = farewell;
        if (last == null && reason != DisconnectReason.CLIENT_CLOSED && reason.code() != DisconnectReason.TOO_SLOW.code()) {
            last = stompFraming().frame(new StompFrame(StompCommand.ERROR,
                    StompHeaders.of("message", reason.reason(), "code", Integer.toString(reason.code())), ""));
        }
        OutboundFrame frame = last;
        Runnable closing = clientCloses && reason == DisconnectReason.CLIENT_CLOSED
                ? () -> closeUnlessTheClientDoes(reason) : () -> transport.close(reason);
        // Written before the close frame; closed whether or not it could be written.
        Runnable finish = frame == null ? closing : () -> transport.send(List.of(frame), failure -> closing.run());
        synchronized (this) {
            if (writing) {
                // One write at a time (Tomcat and Tyrus refuse a second while one is outstanding, and the RECEIPT
                // of DISCONNECT was lost that way): the last frame follows what the outbox is writing.
                afterWrite = finish;
                return;
            }
        }
        finish.run();
    }

    private void closeUnlessTheClientDoes(DisconnectReason reason) {
        try {
            closeIfClientDoesNot = timer.schedule(() -> {
                if (!ended) {
                    transport.close(reason);
                }
            }, CLIENT_CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The application is stopping: no time to wait.
            transport.close(reason);
        }
    }

    @Override
    public String remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public Door door() {
        return DOOR;
    }

    @Override
    public Framing framing() {
        return stompFraming();
    }

    StompFraming stompFraming() {
        return StompFraming.of(version);
    }

    StompVersion version() {
        return version;
    }

    /** The version CONNECT agreed on: frames are read and written in it from now on. */
    void version(StompVersion agreed) {
        this.version = agreed;
    }

    /** The frame written last, before the close that follows. */
    void farewell(OutboundFrame frame) {
        this.farewell = frame;
    }

    /** DISCONNECT's RECEIPT is the last frame, and the close is the client's to make once it has read it. */
    void receiptThenClientCloses(OutboundFrame receipt) {
        this.farewell = receipt;
        this.clientCloses = true;
    }

    /** The WebSocket connection closed, whoever closed it: nothing more is timed for it. */
    void ended() {
        ended = true;
        stopHeartBeats();
        ScheduledFuture<?> close = closeIfClientDoesNot;
        if (close != null) {
            close.cancel(false);
        }
    }

    void heartBeats(ScheduledFuture<?> task) {
        this.heartBeats = task;
    }

    void stopHeartBeats() {
        ScheduledFuture<?> task = heartBeats;
        if (task != null) {
            task.cancel(false);
        }
    }
}
