package io.duplex.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * REST publish: requests per second with keep-alive from wrk (pinned to the generator's core) on 1, 4, 16 and 64
 * connections, then with WebSocket subscribers of the channel (each must receive every message, in order); and the
 * latency from a REST publish to its WebSocket delivery, at a fixed rate (200 publishes/s to 100 subscribers).
 */
final class Rest {
    /** A 112-byte body, as in the measurement. */
    static final String BODY = "{\"data\":{\"text\":\"" + "x".repeat(84) + "\",\"n\":1}}";

    private Rest() {
    }

    static List<Json> run(Bench bench, Target target) throws Exception {
        List<Json> out = new ArrayList<>();
        if (!Bench.onPath("wrk")) {
            bench.progress("wrk is not installed (apt-get install wrk): REST publish throughput skipped");
        } else {
            Path script = Files.createTempFile("duplex-bench-post", ".lua");
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = '" + BODY + "'\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            try {
                String channel = bench.runId + ".rest";
                int warmed = warmUp(bench, target, script, channel);
                for (int connections : bench.restConnections) {
                    try (AutoCloseable recording = connections == 16 ? Profiler.record(bench, target, "rest16") : () -> { }) {
                        out.add(wrk(bench, target, script, channel, connections, bench.restSeconds).put("warm_up_s", warmed));
                    }
                }
                out.add(withSubscribers(bench, target, script, 100, 16));
            } finally {
                Files.deleteIfExists(script);
            }
        }
        out.add(latency(bench, target, 100, 200, bench.restSeconds));
        return out;
    }

    /**
     * Warms the server up on 16 connections until it is steady: on one core the JIT compiles the request path for
     * minutes, and a fixed warm-up left the figures moving with whatever had run on the server before. A steady rate
     * alone was not enough: the rate stays flat for a while at half its final value while the compiler takes half the
     * core, then jumps. So: at least restWarmSeconds, then windows of 10 s until two in a row differ by less than 5% and
     * the JIT's compiler threads used less than 2% of the last one (at most eight times restWarmSeconds: 4 minutes, 40 s
     * with --quick).
     */
    private static int warmUp(Bench bench, Target target, Path script, String channel) throws Exception {
        int seconds = 0;
        double previous = Double.NaN;
        double compiling = Double.NaN;
        while (seconds < 8 * bench.restWarmSeconds) {
            int window = seconds == 0 ? bench.restWarmSeconds : 10;
            long compiled = Cpu.compilerTicks(target.pids);
            double rate = wrk(bench, target, script, channel, 16, window).number("requests_per_s");
            compiling = (Cpu.compilerTicks(target.pids) - compiled) / (Cpu.TICKS_PER_SECOND * window);
            seconds += window;
            if (seconds > bench.restWarmSeconds && Math.abs(rate - previous) < 0.05 * previous && compiling < 0.02) {
                break;
            }
            previous = rate;
        }
        bench.progress(String.format(Locale.ROOT, "%s: REST warmed up for %d s (the JIT compiler's share of the last 10 s: %.1f%%)",
                target.name, seconds, 100 * compiling));
        return seconds;
    }

    private static Json wrk(Bench bench, Target target, Path script, String channel, int connections, int seconds)
            throws Exception {
        String url = "http://" + target.address.getHostString() + ":" + target.address.getPort() + "/api/channels/" + channel
                + "/messages";
        List<String> command = new ArrayList<>();
        if (bench.generatorCpu != null) {
            command.addAll(List.of("taskset", "-c", bench.generatorCpu));
        }
        command.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", "-s", script.toString(), url));
        Cpu cpu = Cpu.start(target.pids);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Cpu.Usage usage = cpu.stop();
        double rps = number(output, "Requests/sec:\\s+([\\d.]+)");
        double requests = number(output, "(\\d+) requests in");
        double non2xx = number(output, "Non-2xx or 3xx responses:\\s+(\\d+)");
        Json json = Json.of("rest_publish", target.name).put("connections", connections).put("requests_per_s", rps)
                .put("p50_ms", latency(output, "50%")).put("p99_ms", latency(output, "99%"))
                .put("server_us_per_request", requests > 0 ? usage.serverSeconds() * 1e6 / requests : Double.NaN)
                .put("non_2xx", Double.isNaN(non2xx) ? 0 : (long) non2xx)
                .put("socket_errors", output.contains("Socket errors") ? output.replaceAll("(?s).*Socket errors: ([^\\n]*).*", "$1") : "none")
                .put("core0_busy", usage.core0()).put("core1_busy", usage.core1())
                .put("generator_bound", usage.core1() >= FanOut.GENERATOR_BUSY);
        bench.progress(json.toString());
        return json;
    }

    /** wrk publishes while {@code subscribers} WebSocket subscribers of the channel must receive every message once, in order. */
    private static Json withSubscribers(Bench bench, Target target, Path script, int subscribers, int connections)
            throws Exception {
        String channel = bench.runId + ".restsub";
        try (Loop loop = new Loop(target.address)) {
            Crowd crowd = new Crowd(loop, target.wire, new String[] {channel}, null, 200);
            crowd.open(subscribers, false, 600);
            Json json = wrk(bench, target, script, channel, connections, bench.restSeconds);
            long offset = channelOffset(target, channel);
            loop.call(() -> {
                crowd.acked[0] = offset;
                return null;
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && loop.call(crowd::missing) > 0) {
                Thread.sleep(20);
            }
            long[] counts = loop.call(() -> new long[] {crowd.missing(), crowd.duplicates, crowd.outOfOrder, crowd.closes,
                    crowd.delivered});
            crowd.abortAll();
            json.put("bench", "rest_publish_subscribed").put("subscribers", subscribers).put("published", offset)
                    .put("delivered", counts[4]).put("lost", counts[0]).put("duplicated", counts[1])
                    .put("out_of_order", counts[2]).put("closed", counts[3]);
            bench.progress(json.toString());
            return json;
        }
    }

    /** REST publish to WebSocket delivery: one keep-alive connection publishing at {@code rate}, stamped with the due time. */
    static Json latency(Bench bench, Target target, int subscribers, int rate, int seconds) throws Exception {
        String channel = bench.runId + ".restlat";
        try (Loop loop = new Loop(target.address)) {
            Crowd crowd = new Crowd(loop, target.wire, new String[] {channel}, null, 200);
            crowd.open(subscribers, false, 600);
            long total = (long) rate * seconds;
            loop.call(() -> {
                crowd.latency = new org.HdrHistogram.Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                return null;
            });
            Cpu cpu = Cpu.start(target.pids);
            long failures = publish(target, channel, rate, total);
            Cpu.Usage usage = cpu.stop();
            long offset = channelOffset(target, channel);
            loop.call(() -> {
                crowd.acked[0] = offset;
                return null;
            });
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && loop.call(crowd::missing) > 0) {
                Thread.sleep(20);
            }
            Object[] r = loop.call(() -> new Object[] {crowd.latency, crowd.missing(), crowd.duplicates, crowd.outOfOrder,
                    crowd.closes});
            crowd.abortAll();
            org.HdrHistogram.Histogram h = (org.HdrHistogram.Histogram) r[0];
            Json json = Json.of("rest_to_ws_latency", target.name).put("subscribers", subscribers).put("publishes_per_s", rate)
                    .put("published", offset).put("failed_requests", failures)
                    .put("p50_ms", FanOut.ms(h, 50)).put("p99_ms", FanOut.ms(h, 99)).put("p999_ms", FanOut.ms(h, 99.9))
                    .put("max_ms", h.getMaxValue() / 1e6).put("core0_busy", usage.core0()).put("core1_busy", usage.core1())
                    .put("lost", r[1]).put("duplicated", r[2]).put("out_of_order", r[3]).put("closed", r[4]);
            bench.progress(json.toString());
            return json;
        }
    }

    /** Publishes {@code total} messages at {@code rate} over one keep-alive connection; returns the failed requests. */
    private static long publish(Target target, String channel, int rate, long total) throws IOException {
        long failures = 0;
        try (Socket socket = new Socket(target.address.getHostString(), target.address.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            long start = System.nanoTime();
            double interval = 1e9 / rate;
            for (long n = 0; n < total; n++) {
                long due = start + (long) (n * interval);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String body = "{\"data\":" + Wire.data(n + 1, due) + "}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                out.write(("POST /api/channels/" + channel + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                if (!response(in, buffer)) {
                    failures++;
                }
            }
        }
        return failures;
    }

    /** Reads one HTTP response; true for a 2xx. */
    private static boolean response(InputStream in, byte[] buffer) throws IOException {
        int length = 0;
        int headersEnd;
        while ((headersEnd = indexOf(buffer, length)) < 0) {
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new IOException("the server closed the connection");
            }
            length += n;
        }
        String headers = new String(buffer, 0, headersEnd, StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(headers);
        int body = m.find() ? Integer.parseInt(m.group(1)) : 0;
        int have = length - headersEnd - 4;
        in.skipNBytes(Math.max(0, body - have));
        return headers.startsWith("HTTP/1.1 2");
    }

    private static int indexOf(byte[] b, int length) {
        for (int i = 0; i + 3 < length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long channelOffset(Target target, String channel) throws IOException {
        try (Socket socket = new Socket(target.address.getHostString(), target.address.getPort())) {
            socket.getOutputStream().write(("GET /api/channels/" + channel + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("\"offset\":(\\d+)").matcher(answer);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** A percentile line of wrk's latency distribution, in ms. */
    private static double latency(String text, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(text);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
