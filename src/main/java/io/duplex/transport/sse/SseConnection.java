package io.duplex.transport.sse;

import io.duplex.channel.Door;
import io.duplex.core.ClientSession;
import io.duplex.core.Connection;
import io.duplex.core.ConnectionHandler;
import io.duplex.core.Framing;
import io.duplex.core.OutboundFrame;
import io.duplex.error.DisconnectReason;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One event stream under a client session: a servlet response in async mode, written with the Servlet API's
 * non-blocking output ({@link WriteListener}), so that a reader that stops reading holds no thread; its session's
 * outbox fills and the session is disconnected alone (4002), as a WebSocket client would be. Plain Servlet 6: the same
 * code runs in every container the WAR supports.
 *
 * <p>Three kinds of write reach the response: the outbox's batches (one outstanding at a time), heartbeat comments, and
 * the final {@code close} event. They queue here and are written one after the other, each written and flushed
 * before the next starts; the servlet output allows one write in flight, and a write may only start once
 * {@link ServletOutputStream#isReady()} said so.
 *
 * <p>The client never writes to the stream, so nothing shows it alive but writes that complete: each completed write
 * counts as a sign of life for the node's heartbeat (as a pong does on a WebSocket), and a comment is written after
 * {@code sse.heartbeat.interval} without one. A client that is gone makes a write fail (the session closes); a client
 * that stops reading stalls a write, which the heartbeat ends after {@code outbound.send.timeout} (4002).
 */
final class SseConnection implements Connection, WriteListener, AsyncListener {
    private static final Logger LOG = Logger.getLogger(SseConnection.class.getName());

    /** What this stream's events carry as their ids (the ids of a stream of several channels are rewritten per stream). */
    interface Ids {
        /** The frame's text as this stream sends it. */
        String rewrite(String text);
    }

    private record Write(byte[] bytes, Consumer<Throwable> done) {
    }

    private enum Stage { WRITE, FLUSH }

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final String remote;
    private final ConnectionHandler handler;
    private final Ids ids;
    private final Framing framing;
    private final ArrayDeque<Write> queue = new ArrayDeque<>(4);
    private volatile ClientSession session;
    private volatile long lastWriteNanos = System.nanoTime();
    private ScheduledFuture<?> heartbeat;
    /** The node's timer: it also ends the response (see {@link #endResponse}); null until started. */
    private volatile ScheduledExecutorService timer;
    /** Guarded by this: the write under way and how far it got. */
    private Write current;
    private Stage stage;
    /** Guarded by this: the response may be written (until then, what is sent waits: the request may still be refused). */
    private boolean started;
    /** Guarded by this: the close event is queued; nothing is written after it. */
    private boolean closing;
    /** Guarded by this: the response is complete or broken; nothing more is written. */
    private boolean ended;

    SseConnection(AsyncContext async, ServletOutputStream out, String remote, ConnectionHandler handler, Ids ids, Framing framing) {
        this.async = async;
        this.framing = framing;
        this.out = out;
        this.remote = remote;
        this.handler = handler;
        this.ids = ids;
    }

    /** Starts writing: the listeners are set, the prelude goes first, then comments every {@code interval} of silence. */
    void start(ClientSession session, String prelude, ScheduledExecutorService timer, Duration interval) {
        this.session = session;
        this.timer = timer;
        async.addListener(this);
        // Non-blocking from here: the container calls onWritePossible, and isReady() may be asked.
        out.setWriteListener(this);
        synchronized (this) {
            queue.addFirst(new Write(prelude.getBytes(StandardCharsets.UTF_8), null));
            started = true;
        }
        pump();
        long millis = Math.max(50, interval.toMillis() / 2);
        long intervalNanos = interval.toNanos();
        synchronized (this) {
            if (!ended) {
                // Checked twice an interval, so a comment follows at most 1.5 intervals of silence, at least one.
                heartbeat = timer.scheduleWithFixedDelay(() -> {
                    if (System.nanoTime() - lastWriteNanos >= intervalNanos) {
                        ping();
                    }
                }, millis, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void send(List<OutboundFrame> frames, Consumer<Throwable> done) {
        int size = 0;
        String[] texts = new String[frames.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = ids.rewrite(frames.get(i).text());
            size += texts[i].length();
        }
        StringBuilder batch = new StringBuilder(size);
        for (String text : texts) {
            batch.append(text);
        }
        enqueue(batch.toString().getBytes(StandardCharsets.UTF_8), done);
    }

    /** A comment line; written only when nothing else is waiting (anything else shows the stream alive as well). */
    @Override
    public void ping() {
        synchronized (this) {
            if (current != null || !queue.isEmpty() || closing) {
                return;
            }
        }
        enqueue(SseFrames.PING.getBytes(StandardCharsets.UTF_8), null);
    }

    /** The {@code close} event, after what is being written; then the response ends. */
    @Override
    public void close(DisconnectReason reason) {
        synchronized (this) {
            if (closing || ended) {
                return;
            }
            closing = true;
            // What the outbox already handed over is written first, as a WebSocket container writes it before a close.
            queue.add(new Write(SseFrames.close(reason).getBytes(StandardCharsets.UTF_8), failure -> complete()));
        }
        pump();
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public Door door() {
        return EventStreams.DOOR;
    }

    @Override
    public Framing framing() {
        return framing;
    }

    /** The client never writes: the node pings it (a comment) but never closes it for silence. */
    @Override
    public boolean answersPings() {
        return false;
    }

    private void enqueue(byte[] bytes, Consumer<Throwable> done) {
        synchronized (this) {
            if (closing || ended) {
                if (done != null) {
                    done.accept(new IOException("the event stream is closed"));
                }
                return;
            }
            queue.add(new Write(bytes, done));
        }
        pump();
    }

    /**
     * Writes what is queued, as far as the output lets it without blocking; called by whoever queued something and by
     * the container when the output can take more. Every step is under the lock (none of them blocks: the output is in
     * non-blocking mode), completions run after it.
     */
    private void pump() {
        for (;;) {
            Write finished;
            synchronized (this) {
                if (ended || !started) {
                    return;
                }
                if (current == null) {
                    current = queue.poll();
                    if (current == null) {
                        return;
                    }
                    stage = Stage.WRITE;
                }
                try {
                    if (!out.isReady()) {
                        return; // onWritePossible calls again
                    }
                    if (stage == Stage.WRITE) {
                        out.write(current.bytes());
                        stage = Stage.FLUSH;
                        if (!out.isReady()) {
                            return;
                        }
                    }
                    out.flush();
                    if (!out.isReady()) {
                        stage = null; // flushed once ready
                        return;
                    }
                } catch (IOException | IllegalStateException e) {
                    fail(e);
                    return;
                }
                finished = current;
                current = null;
            }
            written(finished);
        }
    }

    private void written(Write write) {
        lastWriteNanos = System.nanoTime();
        ClientSession open = session;
        if (open != null) {
            open.received();
        }
        if (write.done() != null) {
            write.done().accept(null);
        }
    }

    @Override
    public void onWritePossible() {
        Write finished = null;
        synchronized (this) {
            if (current != null && stage == null) {
                // The flush that had to wait is done.
                finished = current;
                current = null;
            }
        }
        if (finished != null) {
            written(finished);
        }
        pump();
    }

    @Override
    public void onError(Throwable failure) {
        fail(failure);
    }

    /** The client went away (or the container gave up on the response): the session closes. */
    private void fail(Throwable failure) {
        Write failed;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            failed = current;
            current = null;
            queue.clear();
            cancelHeartbeat();
        }
        LOG.log(Level.FINE, () -> "event stream to " + remote + " failed: " + failure);
        if (failed != null && failed.done() != null) {
            failed.done().accept(failure);
        }
        ClientSession open = session;
        if (open != null) {
            handler.closed(open, DisconnectReason.CLIENT_CLOSED.code());
        }
        endResponse();
    }

    private void complete() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            cancelHeartbeat();
        }
        endResponse();
    }

    /**
     * Completes the async request on a thread of Duplex's own. The caller may be the thread of another request (the
     * {@code DELETE} of the session over REST ends the stream): completing there makes the container run this
     * request's end, and Weld's request listener, on that other request's thread, and Weld then leaves its
     * request-context ThreadLocal on the pooled thread (Tomcat 11 reported the leak at undeploy). From a thread that is
     * not the container's, the container ends the request on one of its own.
     */
    private void endResponse() {
        Runnable end = () -> {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Already completed by the container.
            }
        };
        ScheduledExecutorService executor = timer;
        if (executor == null) {
            end.run();
            return;
        }
        try {
            executor.execute(end);
        } catch (RejectedExecutionException e) {
            // The node is stopping: its threads are gone.
            end.run();
        }
    }

    private void cancelHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    // ---- AsyncListener: the container's view of the response ----

    @Override
    public void onComplete(AsyncEvent event) {
        fail(new IOException("the response completed"));
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        fail(new IOException("the response timed out"));
    }

    @Override
    public void onError(AsyncEvent event) {
        fail(event.getThrowable() != null ? event.getThrowable() : new IOException("the response failed"));
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
