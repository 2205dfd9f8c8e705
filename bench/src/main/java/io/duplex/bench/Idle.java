package io.duplex.bench;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Memory per idle connection: a fresh server, warmed up, collected, measured; then N connections that each connect
 * and subscribe (over 100 channels) and go quiet; held past a heartbeat round (pings answered); collected and measured
 * again. The difference over N is the resident memory (RSS) per idle subscribed connection; for a JVM also the heap
 * in use after a full collection. Connections come from several loopback addresses, since one address has only
 * some 28,000 ports to connect from.
 */
final class Idle {
    /** Connections per source address. */
    private static final int PER_SOURCE = 25_000;

    private Idle() {
    }

    interface Starter {
        Target start() throws Exception;
    }

    static Json run(Bench bench, Starter starter, int requested) throws Exception {
        int limit = openFilesLimit() - 1_000;
        int n = Math.min(requested, limit);
        try (Target target = starter.start()) {
            try (Loop warm = new Loop(target.address)) {
                Crowd crowd = new Crowd(warm, target.wire, FanOut.names(bench.runId + ".warm", 10), null, 200);
                crowd.open(2_000, false, 600);
                crowd.abortAll();
            }
            TimeUnit.SECONDS.sleep(3);
            target.collectGarbage();
            TimeUnit.SECONDS.sleep(2);
            long rss0 = target.rssKib();
            long heap0 = target.heapUsedKib();
            if (bench.histograms) {
                target.histogram(bench.logs.resolve(target.name + "-idle-before.histo"));
            }
            InetAddress[] sources = new InetAddress[(n + PER_SOURCE - 1) / PER_SOURCE];
            for (int i = 0; i < sources.length; i++) {
                sources[i] = InetAddress.getByName("127.0.0." + (20 + i));
            }
            try (Loop loop = new Loop(target.address)) {
                Crowd crowd = new Crowd(loop, target.wire, FanOut.names(bench.runId + ".idle" + n, 100), sources, 200);
                long started = System.nanoTime();
                crowd.open(n, false, 1_800);
                double openSeconds = (System.nanoTime() - started) / 1e9;
                bench.progress(String.format(java.util.Locale.ROOT, "%s: %,d idle subscribed connections open in %.1f s;"
                        + " holding them %d s", target, n, openSeconds, bench.idleHoldSeconds));
                TimeUnit.SECONDS.sleep(bench.idleHoldSeconds);
                target.collectGarbage();
                TimeUnit.SECONDS.sleep(2);
                long rss1 = target.rssKib();
                long heap1 = target.heapUsedKib();
                if (bench.histograms) {
                    target.histogram(bench.logs.resolve(target.name + "-idle-" + n + ".histo"));
                }
                long[] state = loop.call(() -> new long[] {crowd.openSubscribers(), loop.pings, crowd.closes, crowd.failedOpens()});
                crowd.abortAll();
                Json json = Json.of("idle", target.name).put("connections", n).put("requested", requested)
                        .put("rss_kib_per_connection", (rss1 - rss0) / (double) n)
                        .put("heap_kib_per_connection", heap0 < 0 ? null : (heap1 - heap0) / (double) n)
                        .put("rss_mib_before", rss0 / 1024.0).put("rss_mib_after", rss1 / 1024.0)
                        .put("heap_mib_after", heap1 < 0 ? null : heap1 / 1024.0)
                        .put("open_at_end", state[0]).put("pings_answered", state[1]).put("closed", state[2])
                        .put("failed_opens", state[3]).put("held_seconds", bench.idleHoldSeconds)
                        .put("sources", sources.length);
                if (n < requested) {
                    json.put("limited_by", "open files limit " + (limit + 1_000) + " (ulimit -n) of this machine");
                }
                return json;
            }
        }
    }

    /** The soft limit of open files of this process (the server's is the same: it is started from here). */
    static int openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 1_000_000;
    }
}
