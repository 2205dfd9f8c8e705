package io.duplex.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Fan-out saturation: S subscribers spread over C channels, one publisher per channel; the rate is ramped by half
 * again per step until a step fails (a delivery lost, duplicated or out of order, a subscriber closed, or the
 * deliveries not all in within a tenth of the step after the last publish), then bisected twice. The figure is the
 * highest passing step's deliveries per second; a figure whose failing step found the generator's core busy is marked
 * as bounded by the generator (a lower bound of the server's).
 */
final class FanOut {
    /** At or above this share of a core used by the generator itself, the generator may be what failed the step. */
    static final double GENERATOR_BUSY = 0.80;

    private FanOut() {
    }

    /** What the search found. */
    record Saturation(Json json, double deliveriesPerSecond, boolean generatorBound) {
    }

    static Saturation saturate(Bench bench, Target target, int subscribers, int channels) throws Exception {
        String prefix = bench.runId + "." + (channels == 1 ? "s" + subscribers : "c" + channels);
        try (Loop loop = new Loop(target.address)) {
            // Throughput, not each publish's timing: publishes due within a millisecond may go together.
            loop.precise = false;
            Crowd crowd = new Crowd(loop, target.wire, names(prefix, channels), null, 200);
            crowd.open(subscribers, true, 600);
            reopen(crowd);
            bench.progress(target + ": " + subscribers + " subscribers on " + channels + " channel(s) ready");
            // Warm-up: the server's JIT and the generator's, at a rate every target takes, until the server's compiler is
            // quiet: a step that fails while it still compiles ends the search far below the server's rate (the Redis
            // engine on 100 channels stopped at 20k/s in one run, with the C2 compiler at a quarter of the core, and
            // passed 170k/s in the next).
            double warm = Math.min(5_000.0, 20_000.0) / subscribers * channels;
            warmUp(bench, crowd, target, Math.max(warm, 2));
            reopen(crowd);

            double seconds = bench.stepSeconds;
            double rate = Math.max(bench.startDeliveries / (double) subscribers * channels, 1);
            double deliveriesPerMessage = subscribers / (double) channels;
            Step.Result best = null;
            Step.Result failed = null;
            List<Json> steps = new ArrayList<>();
            for (int i = 0; i < 14 && failed == null; i++) {
                Step.Result r = Step.run(crowd, target, rate, seconds, seconds / 10, false);
                steps.add(stepJson(target, subscribers, channels, r, seconds));
                bench.progress(describe(target, r, seconds));
                if (passed(r, seconds)) {
                    best = r;
                    rate *= 1.5;
                } else {
                    failed = r;
                }
                pause(crowd);
            }
            // The first step failed: down by the same factor until one passes.
            for (int i = 0; i < 4 && best == null; i++) {
                rate = failed.messagesPerSecond() / 1.5;
                Step.Result r = Step.run(crowd, target, rate, seconds, seconds / 10, false);
                steps.add(stepJson(target, subscribers, channels, r, seconds));
                bench.progress(describe(target, r, seconds));
                if (passed(r, seconds)) {
                    best = r;
                } else {
                    failed = r;
                }
                pause(crowd);
            }
            for (int i = 0; i < bench.bisections && best != null && failed != null; i++) {
                double mid = Math.sqrt(best.messagesPerSecond() * failed.messagesPerSecond());
                Step.Result r = Step.run(crowd, target, mid, seconds, seconds / 10, false);
                steps.add(stepJson(target, subscribers, channels, r, seconds));
                bench.progress(describe(target, r, seconds));
                if (passed(r, seconds)) {
                    best = r;
                } else {
                    failed = r;
                }
                pause(crowd);
            }
            crowd.abortAll();
            boolean generatorBound = failed == null || failed.cpu().generatorShare() >= GENERATOR_BUSY;
            double saturation = best == null ? 0 : best.messagesPerSecond() * deliveriesPerMessage;
            Json json = Json.of("fanout", target.name).put("subscribers", subscribers).put("channels", channels)
                    .put("deliveries_per_s", saturation).put("generator_bound", generatorBound);
            if (best != null) {
                json.put("server_us_per_delivery", best.serverMicrosPerDelivery())
                        .put("core0_busy", best.cpu().core0()).put("core1_busy", best.cpu().core1())
                        .put("server_cpu_share", best.cpu().serverShare()).put("generator_cpu_share", best.cpu().generatorShare())
                        .put("other_cpu_share", best.cpu().otherShare()).put("irq_cpu_share", best.cpu().irqShare());
            }
            if (failed != null) {
                json.put("failed_at_deliveries_per_s", failed.messagesPerSecond() * deliveriesPerMessage)
                        .put("failed_because", why(failed, seconds))
                        .put("failed_server_us_per_delivery", failed.serverMicrosPerDelivery())
                        .put("failed_core0_busy", failed.cpu().core0()).put("failed_core1_busy", failed.cpu().core1());
            }
            long lost = 0;
            long dup = 0;
            long ooo = 0;
            for (Json s : steps) {
                lost += (long) s.number("lost");
                dup += (long) s.number("duplicated");
                ooo += (long) s.number("out_of_order");
                bench.emit(s);
            }
            // Losses in failing steps are the overload at work (4002 closes); a passing step has none by definition.
            json.put("steps", steps.size()).put("lost_in_failed_steps", lost).put("duplicated", dup).put("out_of_order", ooo);
            return new Saturation(json, saturation, generatorBound);
        }
    }

    /**
     * A fixed rate held for {@code seconds} with every delivery's latency recorded (from the time the publish was due
     * to the time the generator read the delivery).
     */
    static Json latency(Bench bench, Target target, int subscribers, double deliveriesPerSecond, double seconds, String label)
            throws Exception {
        String prefix = bench.runId + ".lat" + label;
        try (Loop loop = new Loop(target.address)) {
            Crowd crowd = new Crowd(loop, target.wire, names(prefix, 1), null, 200);
            crowd.open(subscribers, true, 600);
            reopen(crowd);
            double rate = deliveriesPerSecond / subscribers;
            int warmed = warmUp(bench, crowd, target, rate);
            reopen(crowd);
            Step.Result r;
            try (AutoCloseable recording = Profiler.record(bench, target, "latency-" + label)) {
                r = Step.run(crowd, target, rate, seconds, seconds, true);
            }
            bench.progress(describe(target, r, seconds));
            crowd.abortAll();
            Histogram h = r.latency();
            Json json = Json.of("latency", target.name).put("at", label).put("subscribers", subscribers)
                    .put("deliveries_per_s", deliveriesPerSecond).put("seconds", seconds).put("warm_up_s", warmed)
                    .put("p50_ms", ms(h, 50)).put("p99_ms", ms(h, 99)).put("p999_ms", ms(h, 99.9))
                    .put("max_ms", h == null ? Double.NaN : h.getMaxValue() / 1e6).put("samples", h == null ? 0 : h.getTotalCount())
                    // Per publish: its first delivery (late when the server stalled) and its last (late when the fan-out is slow).
                    .put("first_p50_ms", ms(r.perPublish().first, 50)).put("first_p99_ms", ms(r.perPublish().first, 99))
                    .put("last_p50_ms", ms(r.perPublish().last, 50)).put("last_p99_ms", ms(r.perPublish().last, 99))
                    .put("server_us_per_delivery", r.serverMicrosPerDelivery())
                    .put("core0_busy", r.cpu().core0()).put("core1_busy", r.cpu().core1())
                    .put("other_cpu_share", r.cpu().otherShare()).put("irq_cpu_share", r.cpu().irqShare())
                    .put("lost", r.lost()).put("duplicated", r.duplicates()).put("out_of_order", r.outOfOrder())
                    .put("closed", r.closes()).put("errors", r.errors());
            return json;
        }
    }

    /**
     * Holds the rate, unrecorded, until the server's JIT is done with it: at least 5 s, then until its compiler threads
     * took less than 2% of the last 5 s (at most 60 s). Before a saturation search as before a latency run. On one core the compiler shares the server's core: measured
     * from a light warm-up, the first seconds of a run were the compiler's, and decided p99 (49 of the 52 publishes
     * whose last delivery took over 30 ms came in the first 2.5 s of a 20 s run, 2026-12-07).
     */
    private static int warmUp(Bench bench, Crowd crowd, Target target, double rate) throws InterruptedException {
        int seconds = 0;
        double compiling;
        do {
            long compiled = Cpu.compilerTicks(target.pids);
            Step.run(crowd, target, rate, 5, 5, false);
            seconds += 5;
            compiling = (Cpu.compilerTicks(target.pids) - compiled) / (Cpu.TICKS_PER_SECOND * 5.0);
        } while (compiling >= 0.02 && seconds < 60);
        bench.progress(String.format(java.util.Locale.ROOT, "%s: warmed up for %d s at the rate (the JIT compiler's share of the last 5 s: %.1f%%)",
                target.name, seconds, 100 * compiling));
        return seconds;
    }

    static double ms(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    static boolean passed(Step.Result r, double seconds) {
        return r.clean() && r.drainMillis() <= Math.max(250, seconds * 100);
    }

    static String why(Step.Result r, double seconds) {
        if (r.lost() > 0 || r.closes() > 0) {
            return r.lost() + " deliveries lost, " + r.closes() + " subscribers closed (" + r.lastError() + ")";
        }
        if (r.duplicates() > 0 || r.outOfOrder() > 0) {
            return r.duplicates() + " duplicated, " + r.outOfOrder() + " out of order";
        }
        if (r.errors() > 0) {
            return r.errors() + " errors (" + r.lastError() + ")";
        }
        return Double.isInfinite(r.drainMillis()) ? "deliveries not all in" : "drained " + Math.round(r.drainMillis())
                + " ms after the last publish (limit " + Math.round(Math.max(250, seconds * 100)) + ")";
    }

    private static Json stepJson(Target target, int subscribers, int channels, Step.Result r, double seconds) {
        return Json.of("fanout_step", target.name).put("subscribers", subscribers).put("channels", channels)
                .put("deliveries_per_s", r.deliveriesPerSecond()).put("passed", passed(r, seconds))
                .put("drain_ms", Double.isInfinite(r.drainMillis()) ? null : r.drainMillis())
                .put("server_us_per_delivery", r.serverMicrosPerDelivery())
                .put("core0_busy", r.cpu().core0()).put("core1_busy", r.cpu().core1())
                .put("server_cpu_share", r.cpu().serverShare()).put("generator_cpu_share", r.cpu().generatorShare())
                .put("other_cpu_share", r.cpu().otherShare()).put("irq_cpu_share", r.cpu().irqShare())
                .put("lost", r.lost()).put("duplicated", r.duplicates()).put("out_of_order", r.outOfOrder())
                .put("closed", r.closes()).put("errors", r.errors());
    }

    static String describe(Target target, Step.Result r, double seconds) {
        return String.format(java.util.Locale.ROOT,
                "%s: %,.0f deliveries/s %s (drain %s ms, server %.2f µs/delivery, core0 %.0f%%, core1 %.0f%%, irq %.0f%%, others %.0f%%%s)",
                target, r.deliveriesPerSecond(), passed(r, seconds) ? "passed" : "FAILED: " + why(r, seconds),
                Double.isInfinite(r.drainMillis()) ? "-" : Long.toString(Math.round(r.drainMillis())),
                r.serverMicrosPerDelivery(), r.cpu().core0() * 100, r.cpu().core1() * 100, r.cpu().irqShare() * 100,
                r.cpu().otherShare() * 100,
                r.latency() == null ? "" : String.format(java.util.Locale.ROOT, ", p50 %.2f p99 %.2f p99.9 %.2f ms",
                        ms(r.latency(), 50), ms(r.latency(), 99), ms(r.latency(), 99.9)));
    }

    static String[] names(String prefix, int channels) {
        String[] names = new String[channels];
        for (int i = 0; i < channels; i++) {
            names[i] = prefix + "." + i;
        }
        return names;
    }

    /** Replaces subscribers an overloaded step closed (Duplex's 4002), so that the next step has them all. */
    private static void reopen(Crowd crowd) {
        for (int i = 0; i < 3 && crowd.loop.call(() -> crowd.openSubscribers()) < crowd.subscribers.size(); i++) {
            crowd.reopenClosed(600);
        }
    }

    /** Lets the server settle between steps (queues drained, garbage collected), and replaces closed subscribers. */
    private static void pause(Crowd crowd) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(1000);
        reopen(crowd);
    }
}
