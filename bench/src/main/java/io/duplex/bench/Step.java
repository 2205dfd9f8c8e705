package io.duplex.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One step of load: the crowd's publishers publish at a fixed rate for a while, round-robin over the channels, each
 * message stamped with the time it was due (so a late publish counts as latency, not as a lighter load); then the
 * step waits until every subscriber has every message, and counts what was lost, duplicated or out of order.
 */
final class Step {
    /** What a step measured. */
    record Result(double messagesPerSecond, double offeredDeliveries, long expected, long inOrder, long lost, long duplicates,
            long outOfOrder, long closes, long errors, String lastError, double drainMillis, Cpu.Usage cpu, Histogram latency,
            Crowd.PerPublish perPublish, long deliveredTotal) {

        boolean clean() {
            return lost == 0 && duplicates == 0 && outOfOrder == 0 && closes == 0 && errors == 0;
        }

        double deliveriesPerSecond() {
            return offeredDeliveries;
        }

        /** Server CPU per delivery, µs. */
        double serverMicrosPerDelivery() {
            return inOrder == 0 ? Double.NaN : cpu.serverSeconds() * 1e6 / inOrder;
        }
    }

    private Step() {
    }

    /**
     * Publishes {@code messagesPerSecond} for {@code seconds}; waits up to {@code drainLimit} seconds after the last
     * publish for every delivery.
     */
    static Result run(Crowd crowd, Target target, double messagesPerSecond, double seconds, double drainLimitSeconds,
            boolean recordLatency) throws InterruptedException {
        Loop loop = crowd.loop;
        int channels = crowd.channels.length;
        long total = Math.max(1, Math.round(messagesPerSecond * seconds));
        long[] before = new long[6];
        Pacer pacer = loop.call(() -> {
            long expected = 0;
            int[] open = new int[channels];
            for (Conn c : crowd.subscribers) {
                if (c.ready && c.state != Conn.State.CLOSED) {
                    open[c.channel]++;
                }
            }
            for (int ch = 0; ch < channels; ch++) {
                long messages = total / channels + (ch < total % channels ? 1 : 0);
                expected += messages * open[ch];
            }
            crowd.inOrder = 0;
            crowd.drainedAt = 0;
            crowd.expected = expected;
            before[0] = crowd.duplicates;
            before[1] = crowd.outOfOrder;
            before[2] = crowd.closes;
            before[3] = crowd.errors;
            before[4] = crowd.missing();
            before[5] = crowd.delivered;
            crowd.latency = recordLatency ? new Histogram(TimeUnit.SECONDS.toNanos(60), 3) : null;
            crowd.perPublish = recordLatency ? new Crowd.PerPublish() : null;
            return new Pacer(crowd, messagesPerSecond, total);
        });
        Cpu cpu = Cpu.start(target.pids);
        loop.execute(pacer);
        Thread.sleep((long) (seconds * 1000));
        long deadline = System.nanoTime() + (long) ((drainLimitSeconds + 2) * 1e9);
        long[] state;
        do {
            Thread.sleep(10);
            state = loop.call(() -> new long[] {crowd.inOrder, crowd.expected, pacer.done, crowd.drainedAt});
        } while ((state[2] == 0 || state[0] < state[1]) && System.nanoTime() < deadline);
        long drainedAt = state[3];
        long expectedDeliveries = state[1];
        Cpu.Usage usage = cpu.stop();
        if (target.wire instanceof Wire.Duplex) {
            // The last acknowledgements tell the offsets every subscriber must reach.
            long ackDeadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < ackDeadline && !loop.call(() -> acknowledged(crowd))) {
                Thread.sleep(10);
            }
        }
        // Late is not lost: a server without bounded queues may still be writing. Wait while deliveries still arrive.
        long missing = loop.call(crowd::missing);
        long lateDeadline = System.nanoTime() + 120_000_000_000L;
        while (missing > 0 && System.nanoTime() < lateDeadline) {
            Thread.sleep(2000);
            long now = loop.call(crowd::missing);
            if (now >= missing) {
                break;
            }
            missing = now;
        }
        return loop.call(() -> {
            // A late drain (after the wait above) still counts, as a long one.
            long drained = drainedAt != 0 ? drainedAt : crowd.drainedAt;
            double drainMillis = pacer.done == 0 || drained == 0 ? Double.POSITIVE_INFINITY : Math.max(0, (drained - pacer.done) / 1e6);
            Histogram latency = crowd.latency;
            Crowd.PerPublish perPublish = crowd.perPublish;
            crowd.latency = null;
            crowd.perPublish = null;
            crowd.expected = Long.MAX_VALUE;
            long lost = Math.max(0, crowd.missing() - before[4]);
            return new Result(messagesPerSecond, messagesPerSecond * (expectedDeliveries / (double) total), expectedDeliveries,
                    crowd.inOrder, lost,
                    crowd.duplicates - before[0], crowd.outOfOrder - before[1], crowd.closes - before[2],
                    crowd.errors - before[3], crowd.lastError, drainMillis, usage, latency, perPublish, crowd.delivered - before[5]);
        });
    }

    private static boolean acknowledged(Crowd crowd) {
        for (int ch = 0; ch < crowd.channels.length; ch++) {
            Conn p = crowd.publishers[ch];
            if (p != null && p.state != Conn.State.CLOSED && crowd.acked[ch] < expectedAcks(crowd, ch)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Duplex numbers a channel's offsets from 1, and the bench is the only publisher of its channels (their names are
     * new in each run): offset n is the n-th publish.
     */
    private static long expectedAcks(Crowd crowd, int ch) {
        return crowd.sent[ch];
    }

    /** Sends the step's messages on time, on the loop's thread. */
    static final class Pacer implements Runnable {
        private final Crowd crowd;
        private final double intervalNanos;
        private final long total;
        private long start;
        private long n;
        volatile long done;

        Pacer(Crowd crowd, double messagesPerSecond, long total) {
            this.crowd = crowd;
            this.intervalNanos = 1e9 / messagesPerSecond;
            this.total = total;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            }
            int channels = crowd.channels.length;
            while (n < total) {
                long due = start + (long) (n * intervalNanos);
                if (due > now) {
                    crowd.loop.at(due, this);
                    return;
                }
                int ch = (int) (n % channels);
                long seq = ++crowd.sent[ch];
                Conn publisher = crowd.publishers[ch];
                crowd.loop.send(publisher, crowd.wire.publish(crowd.channels[ch], seq, due));
                n++;
            }
            done = System.nanoTime();
        }
    }
}
