package io.duplex.bridge;

import java.util.logging.Logger;

/**
 * One warning line per event (a skipped record, a dropped message), up to a rate: a topic full of bad records or a long
 * outage must not bury the log. Past the rate the events are counted, and one line a period says how many went without
 * a line of their own; /api/health counts them all.
 */
public final class LineBudget {
    private static final int LINES_PER_PERIOD = 20;
    private static final long PERIOD_NANOS = 10_000_000_000L;

    private final Logger log;
    private final String bridge;
    private final String what;
    private long periodStart = System.nanoTime();
    private int lines;
    private long unlogged;

    /** {@code bridge} starts the summary line ("kafka: "), {@code what} names its events ("records skipped"). */
    public LineBudget(Logger log, String bridge, String what) {
        this.log = log;
        this.bridge = bridge;
        this.what = what;
    }

    public synchronized void warn(String line) {
        roll();
        if (lines < LINES_PER_PERIOD) {
            lines++;
            log.warning(line);
        } else {
            unlogged++;
        }
    }

    /** Reports the events that had no line of their own, once their period is over. */
    public synchronized void flush() {
        roll();
    }

    private void roll() {
        long now = System.nanoTime();
        if (now - periodStart < PERIOD_NANOS) {
            return;
        }
        if (unlogged > 0) {
            log.warning(bridge + ": " + unlogged + " more " + what + " in the last 10 s, without a line each (at most "
                    + LINES_PER_PERIOD + " lines in 10 s); /api/health counts them all");
        }
        periodStart = now;
        lines = 0;
        unlogged = 0;
    }
}
