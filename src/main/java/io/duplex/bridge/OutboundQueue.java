package io.duplex.bridge;

import io.duplex.channel.ChannelMessage;
import io.duplex.channel.ChannelName;
import io.duplex.channel.Publisher;
import io.duplex.config.ChannelPattern;
import io.duplex.config.Durations;
import io.duplex.config.Sizes;
import io.duplex.error.DuplexException;
import io.duplex.error.ErrorCode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Channels → an outside system, the part every bridge shares: which channels are exported, the bounded buffer between
 * the publishers (who never wait) and one sender thread, the refusal before the engine while the system is away
 * ({@code *.out.unavailable=fail}), and what is dropped, logged and counted when it stays away too long or the buffer
 * is full ({@code buffer}). What a message becomes and how it is handed over is the bridge's {@link Sender}: a Kafka
 * record through the producer, an MQTT publish through the client.
 *
 * <p>Order: one sender thread takes the messages in the order they were accepted, and a message the client could not
 * take yet goes back to the head of the queue, so a channel's messages leave in its offsets' order.
 */
public final class OutboundQueue implements Runnable {
    private static final int OVERHEAD_BYTES = 64;
    private static final long RETRY_MILLIS = 200;

    /** What the bridge's settings say of its outbound side, and how its lines name things. */
    public record Terms(
            /** The bridge's name, its door: messages that came in through it never go back. */
            String bridge,
            /** The settings' prefix, e.g. {@code kafka.out}. */
            String settings,
            /** The outside system as a sentence names it: "Kafka", "the MQTT broker". */
            String system,
            /** What a destination is there, for the lines: "Kafka topic", "MQTT topic". */
            String destinations,
            List<ChannelPattern> channels,
            /** {@code out.unavailable=buffer}: accepted while the system is away, rather than refused. */
            boolean buffered,
            long bufferBytes,
            Duration timeout) {
    }

    /** A message on its way: accepted by Duplex, not yet taken by the outside system; its destination there (a topic). */
    public record Pending(ChannelMessage message, String destination, byte[] payload, long acceptedNanos) {
        long bytes() {
            return payload.length + destination.length() + OVERHEAD_BYTES;
        }
    }

    /** How the bridge hands one message to its client. */
    public interface Sender {
        /**
         * Hands the message over without waiting for the outside system's answer; the client later reports it with
         * {@link OutboundQueue#taken} or {@link OutboundQueue#failed}. False when the client refused it before taking it
         * (not connected, no room in flight): it goes back to the head of the queue and is tried again shortly.
         */
        boolean send(Pending pending);
    }

    private final Terms terms;
    private final BridgeCounters counters;
    private final BooleanSupplier reachable;
    private final LineBudget drops;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Bytes of messages accepted and not yet taken (or dropped): what {@code out.buffer} bounds. */
    private final AtomicLong outstanding = new AtomicLong();
    private Sender sender;
    private Thread thread;
    private boolean stopping; // guarded by queue

    /**
     * @param reachable whether the outside system can take messages now (the bridge's connection state)
     * @param log       the bridge's logger: the drop lines are the bridge's
     */
    public OutboundQueue(Terms terms, BridgeCounters counters, BooleanSupplier reachable, Logger log) {
        this.terms = terms;
        this.counters = counters;
        this.reachable = reachable;
        this.drops = new LineBudget(log, terms.bridge(), "messages dropped");
    }

    /** Starts the sender thread. */
    public synchronized void start(Sender sender) {
        this.sender = sender;
        thread = new Thread(this, "duplex-" + terms.bridge() + "-out");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether messages of this channel, published through this door, go out: exported, and not from the bridge itself. */
    public boolean carries(ChannelName channel, Publisher publisher) {
        if (publisher.door().name().equals(terms.bridge())) {
            return false;
        }
        for (ChannelPattern pattern : terms.channels()) {
            if (pattern.matches(channel.value())) {
                return true;
            }
        }
        return false;
    }

    /** Before the engine: with {@code out.unavailable=fail}, refuses what the system could not take now. */
    public void check(ChannelName channel, Publisher publisher) {
        if (terms.buffered() || !carries(channel, publisher)) {
            return;
        }
        if (!reachable.getAsBoolean()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, capitalized(terms.system()) + " is unreachable, and channel "
                    + channel + " is exported to it: nothing was published (" + terms.settings()
                    + ".unavailable=fail); try again when it is back");
        }
        if (outstanding.get() >= terms.bufferBytes()) {
            counters.refused.increment();
            throw new DuplexException(ErrorCode.ENGINE_UNAVAILABLE, capitalized(terms.system()) + " has not yet taken "
                    + Sizes.format(outstanding.get()) + " of messages (" + terms.settings() + ".buffer is "
                    + Sizes.format(terms.bufferBytes()) + "), and channel " + channel
                    + " is exported to it: nothing was published; try again shortly");
        }
    }

    /**
     * After the engine accepted a message the bridge carries ({@link #carries}): queues it for the sender. Never blocks.
     * With {@code out.unavailable=buffer} a message past the buffer is dropped; with {@code fail} the publisher was
     * answered by {@link #check} already, so the few that raced past it are kept, a little over the bound, rather
     * than dropped: fail promises a refusal, not a loss.
     */
    public void offer(ChannelMessage message, String destination, byte[] payload) {
        Pending pending = new Pending(message, destination, payload, System.nanoTime());
        long total = outstanding.addAndGet(pending.bytes());
        if (terms.buffered() && total > terms.bufferBytes() && total != pending.bytes()) {
            drop(pending, terms.settings() + ".buffer (" + Sizes.format(terms.bufferBytes()) + ") is full of messages "
                    + terms.system() + " has not taken");
            return;
        }
        synchronized (queue) {
            if (stopping) {
                drop(pending, "the node is stopping");
                return;
            }
            queue.add(pending);
            queue.notifyAll();
        }
    }

    /** The outside system took the message. */
    public void taken(Pending pending) {
        outstanding.addAndGet(-pending.bytes());
        counters.out.increment();
    }

    /** The outside system did not take the message, for good: dropped, logged and counted. */
    public void failed(Pending pending, String why) {
        drop(pending, terms.system() + " did not take it: " + why);
    }

    /** How many messages wait in the queue (not those the client holds). */
    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    @Override
    public void run() {
        Pending next;
        while ((next = take()) != null) {
            if (System.nanoTime() - next.acceptedNanos() > terms.timeout().toNanos()) {
                drop(next, tooLate());
            } else if (!sender.send(next) && !putBack(next)) {
                return;
            }
        }
    }

    /**
     * The next message to send, waiting for one and, while the system is away, for it (the message stays in the bounded
     * queue rather than in the client, which would give up on it on its own terms); null once stopping with nothing it
     * can take.
     */
    private Pending take() {
        synchronized (queue) {
            while (!stopping && (queue.isEmpty() || !reachable.getAsBoolean())) {
                expire();
                try {
                    queue.wait(queue.isEmpty() ? 0 : RETRY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (stopping && (!reachable.getAsBoolean() || queue.isEmpty())) {
                dropAll("the node stopped while " + terms.system() + " was unreachable");
                return null;
            }
            return queue.poll();
        }
    }

    /** Drops, oldest first, the waiting messages past {@code out.timeout}: the system stayed away too long for them. */
    private void expire() {
        long now = System.nanoTime();
        Pending head;
        while ((head = queue.peek()) != null && now - head.acceptedNanos() > terms.timeout().toNanos()) {
            drop(queue.poll(), tooLate());
        }
    }

    private String tooLate() {
        return terms.system() + " did not take it within " + terms.settings() + ".timeout (" + Durations.format(terms.timeout()) + ")";
    }

    private void dropAll(String reason) {
        Pending left;
        while ((left = queue.poll()) != null) {
            drop(left, reason);
        }
    }

    /** The client refused the message before taking it: back to the head of the queue, tried again shortly. */
    private boolean putBack(Pending pending) {
        synchronized (queue) {
            if (stopping) {
                String reason = "the node stopped before " + terms.system() + " could take it";
                drop(pending, reason);
                dropAll(reason);
                return false;
            }
            queue.addFirst(pending);
            try {
                queue.wait(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return true;
        }
    }

    private void drop(Pending pending, String reason) {
        outstanding.addAndGet(-pending.bytes());
        counters.dropped.increment();
        ChannelMessage message = pending.message();
        drops.warn(terms.bridge() + ": message " + message.channel() + "@" + message.offset() + " (epoch " + message.epoch()
                + ") is in its channel but not in " + terms.destinations() + " " + pending.destination() + ": " + reason);
    }

    /** Writes the line of dropped messages that had none of their own, when it is due. */
    public void flushLog() {
        drops.flush();
    }

    /**
     * Sends what is queued while the system is there, for at most {@code wait}; what is left then is dropped, logged and
     * counted. What the client holds in flight is the bridge's to wait for.
     */
    public void stop(Duration wait) {
        Thread running;
        synchronized (queue) {
            stopping = true;
            queue.notifyAll();
        }
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        drops.flush();
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
