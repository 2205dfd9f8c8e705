package io.duplex.bench;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Subscribers and publishers of a scenario on one {@link Loop}, and the count of what they received: every message
 * must arrive once, in order ({@code seq == last + 1} per connection; Duplex's offsets, the others' sequence numbers).
 * All state is touched on the loop's thread only; the scenario reads it through {@link Loop#call}.
 */
final class Crowd implements Conn.Listener {
    final Loop loop;
    final Wire wire;
    final String[] channels;
    final List<Conn> subscribers = new ArrayList<>();
    final Conn[] publishers;
    private final boolean offsets;
    private final InetAddress[] sources;
    private final int inFlight;
    private final ArrayDeque<Conn> toOpen = new ArrayDeque<>();
    private int nextSource;
    private CompletableFuture<Void> allReady;
    private int notReady;

    /** Per channel: sequence numbers handed out, and (Duplex) the highest offset the server acknowledged. */
    final long[] sent;
    final long[] acked;
    final int[] subscribersOf;

    long delivered;
    long inOrder;
    long duplicates;
    long outOfOrder;
    long errors;
    long closes;
    long failedOpens;
    String lastError;
    Histogram latency;
    /** Recorded with {@link #latency} on channel 0: each publish's first and last delivery, which tell a stall from a slow fan-out. */
    PerPublish perPublish;
    /** Deliveries expected in the current step, and when they were all in. */
    long expected = Long.MAX_VALUE;
    long drainedAt;

    Crowd(Loop loop, Wire wire, String[] channels, InetAddress[] sources, int inFlight) {
        this.loop = loop;
        this.wire = wire;
        this.channels = channels;
        this.offsets = wire instanceof Wire.Duplex;
        this.sources = sources;
        this.inFlight = inFlight;
        this.publishers = new Conn[channels.length];
        this.sent = new long[channels.length];
        this.acked = new long[channels.length];
        this.subscribersOf = new int[channels.length];
        loop.channels = channels;
    }

    /** Opens {@code count} subscribers spread evenly over the channels, and one publisher per channel; waits until all are ready. */
    void open(int count, boolean withPublishers, long timeoutSeconds) {
        open(count, withPublishers, true, timeoutSeconds);
    }

    /** As {@link #open(int, boolean, long)}; with {@code subscribe} false the connections only say hello. */
    void open(int count, boolean withPublishers, boolean subscribe, long timeoutSeconds) {
        CompletableFuture<Void> done = loop.call(() -> {
            allReady = new CompletableFuture<>();
            for (int i = 0; i < count; i++) {
                Conn c = new Conn(wire, this, subscribe ? i % channels.length : -1, false);
                c.tag = subscribers.size();
                subscribers.add(c);
                if (c.channel >= 0) {
                    subscribersOf[c.channel]++;
                }
                toOpen.add(c);
            }
            if (withPublishers) {
                for (int ch = 0; ch < channels.length; ch++) {
                    if (publishers[ch] == null) {
                        publishers[ch] = new Conn(wire, this, ch, true);
                        toOpen.add(publishers[ch]);
                    }
                }
            }
            notReady = toOpen.size();
            pump();
            return allReady;
        });
        await(done, timeoutSeconds, "connections to open");
    }

    /** Subscribers that did not get ready (refused or dropped while opening). */
    long failedOpens() {
        return failedOpens;
    }

    /** Replaces closed subscribers by new ones (after a step that overloaded the server); returns how many. */
    int reopenClosed(long timeoutSeconds) {
        int[] reopened = {0};
        CompletableFuture<Void> done = loop.call(() -> {
            allReady = new CompletableFuture<>();
            for (int i = 0; i < subscribers.size(); i++) {
                Conn old = subscribers.get(i);
                if (old.state == Conn.State.CLOSED) {
                    Conn c = new Conn(wire, this, old.channel, false);
                    c.tag = i;
                    subscribers.set(i, c);
                    toOpen.add(c);
                    reopened[0]++;
                }
            }
            for (int ch = 0; ch < channels.length; ch++) {
                Conn p = publishers[ch];
                if (p != null && p.state == Conn.State.CLOSED) {
                    publishers[ch] = new Conn(wire, this, ch, true);
                    toOpen.add(publishers[ch]);
                    reopened[0]++;
                }
            }
            notReady = toOpen.size();
            pump();
            return allReady;
        });
        await(done, timeoutSeconds, "connections to reopen");
        return reopened[0];
    }

    /** Closes every connection at once. */
    void abortAll() {
        loop.call(() -> {
            toOpen.clear();
            for (Conn c : subscribers) {
                loop.abort(c);
            }
            for (Conn p : publishers) {
                if (p != null) {
                    loop.abort(p);
                }
            }
            return null;
        });
    }

    private void pump() {
        while (loop.opening < inFlight && !toOpen.isEmpty()) {
            Conn c = toOpen.poll();
            InetAddress source = sources == null || sources.length == 0 ? null : sources[nextSource++ % sources.length];
            loop.open(c, source);
        }
        if (notReady == 0 && allReady != null) {
            allReady.complete(null);
        }
    }

    @Override
    public void ready(Conn c) {
        if (c.ready) {
            return;
        }
        loop.ready(c);
        if (!offsets && !c.publisher && c.channel >= 0) {
            // The others have no offsets: the next message of the channel is the one after the last sent.
            c.last = sent[c.channel];
        }
        notReady--;
        pump();
    }

    @Override
    public void message(Conn c, long seq, long sentNanos) {
        delivered++;
        if (seq == c.last + 1) {
            c.last = seq;
            if (++inOrder == expected) {
                drainedAt = System.nanoTime();
            }
        } else if (seq <= c.last) {
            duplicates++;
        } else {
            outOfOrder++;
            c.last = seq;
        }
        if (latency != null && sentNanos > 0) {
            long nanos = Math.max(0, System.nanoTime() - sentNanos);
            latency.recordValue(nanos);
            if (perPublish != null && c.channel == 0) {
                perPublish.delivered(seq, nanos, subscribersOf[0]);
            }
        }
    }

    @Override
    public void published(Conn c, long offset) {
        if (offset > acked[c.channel]) {
            acked[c.channel] = offset;
        }
    }

    @Override
    public void error(Conn c, String text) {
        errors++;
        lastError = text;
    }

    @Override
    public void closed(Conn c, int code) {
        if (c.ready) {
            closes++;
            lastError = "closed with " + code;
        } else {
            failedOpens++;
            lastError = "closed with " + code + " before it was ready";
            notReady--;
            pump();
        }
    }

    /** The last sequence number (Duplex: offset) a subscriber of the channel should have. */
    long finalSeq(int channel) {
        return offsets ? acked[channel] : sent[channel];
    }

    /** Messages subscribers are still missing: deliveries lost, if nothing more arrives. */
    long missing() {
        long missing = 0;
        for (Conn c : subscribers) {
            if (c.channel >= 0 && (c.ready || c.state == Conn.State.CLOSED)) {
                missing += Math.max(0, finalSeq(c.channel) - c.last);
            }
        }
        return missing;
    }

    /** Subscribers that are open. */
    int openSubscribers() {
        int n = 0;
        for (Conn c : subscribers) {
            if (c.state != Conn.State.CLOSED) {
                n++;
            }
        }
        return n;
    }

    static <T> T await(CompletableFuture<T> future, long timeoutSeconds, String what) {
        try {
            return future.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("timed out waiting for " + what, e);
        }
    }

    /** The latency of each publish's first and of its last delivery (a publish's deliveries all come within a window of seqs). */
    static final class PerPublish {
        private static final int SLOTS = 1 << 14;
        private final long[] seqOf = new long[SLOTS];
        private final int[] count = new int[SLOTS];
        final Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

        void delivered(long seq, long nanos, int subscribers) {
            int slot = (int) (seq & (SLOTS - 1));
            if (seqOf[slot] != seq) {
                seqOf[slot] = seq;
                count[slot] = 0;
            }
            if (count[slot]++ == 0) {
                first.recordValue(nanos);
            }
            if (count[slot] == subscribers) {
                last.recordValue(nanos);
            }
        }
    }
}
