package io.duplex.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Duplex's benchmark: starts each target (Duplex with the memory engine and with Redis, a bare Jakarta broadcast on
 * Jetty, Socket.IO on Node) pinned to the server's core, drives it from this JVM pinned to the other core (bench/run.sh
 * pins it), and prints JSON lines as it goes and a table at the end. See docs/performance.md.
 */
public final class Bench {
    private static final String USAGE = """
            usage: bench/run.sh [options]
              --targets LIST       duplex,duplex-redis,duplex-pusher,bare,socketio (default: these; socketio needs node
                                   and npm), and bare-jetty (the bare broadcast on Jetty's native API, for scale);
                                   duplex-pusher: subscribers on the Pusher door (/app/KEY), the publisher on /ws
              --scenarios LIST     upgrades,fanout,channels,latency,idle,rest (default: all)
              --subscribers LIST   fan-out sizes (default 100,1000,10000)
              --channels N         channels of the spread fan-out, 10,000 subscribers over them (default 100)
              --idle LIST          idle connection counts (default 10000,100000; capped by the open files limit)
              --step-seconds S     length of a fan-out step (default 4)
              --latency-rate LIST  deliveries/s of the fixed-rate latency runs, 1,000 subscribers (default 20000);
                                   several draw latency against load, e.g. 20000,42000,100000,200000
              --latency-seconds S  how long each latency run holds its rate (default 10; longer for a profile)
              --rest-connections LIST  wrk's connection counts for REST publish, in this order (default 1,4,16,64);
                                   a count may repeat: 16,64,16,64 compares two on the same warmed node
              --url URL            target a Duplex node already running (only REST and WebSocket scenarios)
              --pid PID            that node's process, for CPU and memory readings
              --war PATH           the WAR to start (default target/duplex.war)
              --server-cpu C       core the servers are pinned to (default 0; 'none' not to pin)
              --generator-cpu C    core of the generator, as bench/run.sh pinned it (default 1)
              --duplex-arg ARG     one more argument for java -jar duplex.war (repeatable)
              --jvm-arg ARG        one more JVM option for the Java targets, e.g. -XX:StartFlightRecording=... (repeatable)
              --quick              shorter steps and fewer of them: a smoke run, not figures
              --profile DIR        flight recordings (JFR) of the Java targets: the second upgrade round, the fixed-rate
                                   latency run and REST publish on 16 connections, into DIR
              --histograms         idle: also write the Java targets' class histograms before and after (bench/target/logs)
              --out FILE           also append the JSON lines to FILE
            """;

    final String runId = "b" + Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    double stepSeconds = 4;
    double startDeliveries = 10_000;
    int bisections = 2;
    int idleHoldSeconds = 35;
    int upgradeRounds;
    double latencySeconds = 10;
    int upgradeConnections = 10_000;
    int restSeconds = 8;
    int restWarmSeconds = 30;
    int[] restConnections = {1, 4, 16, 64};
    String generatorCpu = "1";
    boolean histograms;
    Path profiles;
    Path logs = Path.of("bench/target/logs");
    private final PrintStream out = System.out;
    private Path outFile;
    private final List<Json> results = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        Map<String, List<String>> options = parse(args);
        if (options.containsKey("help")) {
            System.out.print(USAGE);
            return;
        }
        bench.run(options);
    }

    private void run(Map<String, List<String>> options) throws Exception {
        List<String> targets = list(options, "targets", "duplex,duplex-redis,duplex-pusher,bare,socketio");
        List<String> scenarios = list(options, "scenarios", "upgrades,fanout,channels,latency,idle,rest");
        int[] sizes = list(options, "subscribers", "100,1000,10000").stream().mapToInt(Integer::parseInt).toArray();
        int spreadChannels = Integer.parseInt(one(options, "channels", "100"));
        int[] idle = list(options, "idle", "10000,100000").stream().mapToInt(Integer::parseInt).toArray();
        stepSeconds = Double.parseDouble(one(options, "step-seconds", "4"));
        double[] latencyRates = list(options, "latency-rate", "20000").stream().mapToDouble(Double::parseDouble).toArray();
        latencySeconds = Double.parseDouble(one(options, "latency-seconds", "10"));
        String serverCpu = one(options, "server-cpu", "0");
        generatorCpu = one(options, "generator-cpu", "1");
        if (options.containsKey("quick")) {
            stepSeconds = 2;
            bisections = 0;
            idleHoldSeconds = 5;
            upgradeConnections = 2_000;
            restSeconds = 3;
            restWarmSeconds = 5;
            restConnections = new int[] {1, 16};
        }
        if (options.containsKey("rest-connections")) {
            restConnections = list(options, "rest-connections", "").stream().mapToInt(Integer::parseInt).toArray();
        }
        histograms = options.containsKey("histograms");
        if (options.containsKey("profile")) {
            profiles = Path.of(one(options, "profile", null));
        }
        if (options.containsKey("out")) {
            outFile = Path.of(one(options, "out", null));
        }
        if (!onPath("taskset") || serverCpu.equals("none")) {
            serverCpu = null;
            generatorCpu = null;
        }
        Path war = Path.of(one(options, "war", "target/duplex.war"));
        Path benchDir = Path.of("bench");
        Target.Launch launch = new Target.Launch(war, Path.of(benchDir + "/target/classes:" + benchDir + "/target/lib/*"),
                benchDir.resolve("socketio"), logs, serverCpu,
                jvmOptions(options), options.getOrDefault("duplex-arg", List.of()));
        machine(serverCpu);

        if (options.containsKey("url")) {
            URI url = URI.create(one(options, "url", null));
            Long pid = options.containsKey("pid") ? Long.valueOf(one(options, "pid", null)) : null;
            try (Target target = Target.running(url, pid)) {
                scenarios(target, null, scenarios, sizes, spreadChannels, idle, latencyRates);
            }
        } else {
            for (String name : targets) {
                Idle.Starter starter = switch (name) {
                    case "duplex" -> () -> Target.duplex(launch, "memory");
                    case "duplex-redis" -> () -> Target.duplex(launch, "redis");
                    case "duplex-pusher" -> () -> Target.duplex(launch, "pusher");
                    case "bare" -> () -> Target.bare(launch);
                    case "bare-jetty" -> () -> Target.bareJetty(launch);
                    case "socketio" -> () -> Target.socketIo(launch);
                    default -> throw new IllegalArgumentException("unknown target " + name + "\n" + USAGE);
                };
                if (name.equals("socketio") && !Files.isDirectory(launch.socketIoDir().resolve("node_modules/socket.io"))) {
                    progress("socket.io skipped: node or bench/socketio/node_modules is missing (bench/run.sh installs it with npm ci)");
                    continue;
                }
                if (name.equals("duplex-redis") && !onPath("redis-server")) {
                    progress("duplex-redis skipped: redis-server is not installed");
                    continue;
                }
                List<String> these = new ArrayList<>(scenarios);
                if (name.equals("duplex-redis")) {
                    // The engine's cost shows in fan-out; the rest is the same node.
                    these.retainAll(List.of("fanout", "channels"));
                } else if (name.equals("duplex-pusher")) {
                    // The door's cost shows in fan-out and its latency; the rest is the same node.
                    these.retainAll(List.of("fanout", "channels", "latency"));
                }
                List<String> live = new ArrayList<>(these);
                live.remove("idle");
                if (!live.isEmpty()) {
                    try (Target target = starter.start()) {
                        progress("started " + target + " on " + target.address);
                        scenarios(target, starter, live, sizes, spreadChannels, idle, latencyRates);
                    }
                }
                if (these.contains("idle")) {
                    for (int n : idle) {
                        emit(Idle.run(this, starter, n));
                    }
                }
            }
        }
        table();
    }

    private void scenarios(Target target, Idle.Starter starter, List<String> scenarios, int[] sizes, int spreadChannels,
            int[] idle, double[] latencyRates) throws Exception {
        if (scenarios.contains("upgrades")) {
            emit(Upgrades.run(this, target, upgradeConnections, 200));
        }
        double saturation1k = Double.NaN;
        if (scenarios.contains("fanout")) {
            for (int s : sizes) {
                FanOut.Saturation sat = FanOut.saturate(this, target, s, 1);
                emit(sat.json());
                if (s == 1000) {
                    saturation1k = sat.deliveriesPerSecond();
                }
            }
        }
        if (scenarios.contains("channels")) {
            emit(FanOut.saturate(this, target, 10_000, spreadChannels).json());
        }
        if (scenarios.contains("latency")) {
            for (double rate : latencyRates) {
                emit(FanOut.latency(this, target, 1000, rate, latencySeconds, "fixed"));
            }
            if (!Double.isNaN(saturation1k) && saturation1k > 0) {
                emit(FanOut.latency(this, target, 1000, saturation1k / 2, latencySeconds, "half"));
            }
        }
        if (scenarios.contains("rest") && target.rest) {
            for (Json j : Rest.run(this, target)) {
                emit(j);
            }
        }
        if (starter == null && scenarios.contains("idle")) {
            progress("idle: measured only on targets the bench starts (it needs a fresh server)");
        }
    }

    /** The Java targets' JVM options: a 2 GiB heap, and the collector a JVM picks on one CPU (serial). */
    private static List<String> jvmOptions(Map<String, List<String>> options) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx2g", "-XX:+UseSerialGC"));
        jvm.addAll(options.getOrDefault("jvm-arg", List.of()));
        return jvm;
    }

    /** Prints what the run is on, once, as a JSON line. */
    private void machine(String serverCpu) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        emit(Json.of("machine", "-").put("cpu", cpu).put("cores", Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count())
                .put("memory_gib", Math.round(totalMemoryKib() / 1024.0 / 1024.0))
                .put("kernel", kernel).put("java", System.getProperty("java.version")).put("node", nodeVersion())
                .put("server_cpu", serverCpu).put("generator_cpu", generatorCpu).put("load_before", load)
                .put("open_files_limit", Idle.openFilesLimit()).put("run", runId)
                .put("date", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)));
    }

    private static long totalMemoryKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        }
    }

    void emit(Json json) {
        results.add(json);
        String line = json.toString();
        out.println(line);
        if (outFile != null) {
            try {
                Files.writeString(outFile, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.err.println("cannot write " + outFile + ": " + e);
            }
        }
    }

    void progress(String line) {
        System.err.println("# " + line);
    }

    /** The summary: one row per target. */
    private void table() {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (Json j : results) {
            String bench = (String) j.get("bench");
            String target = (String) j.get("target");
            String column = null;
            String cell = null;
            switch (bench) {
                case "fanout" -> {
                    int s = ((Number) j.get("subscribers")).intValue();
                    int c = ((Number) j.get("channels")).intValue();
                    column = c == 1 ? "S=" + count(s) : count(s) + " on " + c + " ch";
                    cell = thousands(j.number("deliveries_per_s")) + "/s" + (Boolean.TRUE.equals(j.get("generator_bound")) ? "*" : "")
                            + String.format(Locale.ROOT, " (%.1f µs)", j.number("server_us_per_delivery"));
                }
                case "latency" -> {
                    column = "p50/p99/p99.9 ms " + j.get("at") + " S=1k";
                    cell = String.format(Locale.ROOT, "%.1f/%.1f/%.1f @%s", j.number("p50_ms"), j.number("p99_ms"),
                            j.number("p999_ms"), thousands(j.number("deliveries_per_s")));
                }
                case "idle" -> {
                    column = "RSS/idle conn " + count(((Number) j.get("connections")).intValue());
                    cell = String.format(Locale.ROOT, "%.1f KiB", j.number("rss_kib_per_connection"));
                    if (j.get("heap_kib_per_connection") != null) {
                        cell += String.format(Locale.ROOT, " (heap %.1f)", j.number("heap_kib_per_connection"));
                    }
                }
                case "upgrades" -> {
                    column = "upgrades/s";
                    cell = String.format(Locale.ROOT, "%,.0f", j.number("upgrades_per_s"));
                }
                case "rest_publish" -> {
                    column = "REST c=" + j.get("connections");
                    cell = String.format(Locale.ROOT, "%,.0f/s", j.number("requests_per_s"));
                }
                case "rest_publish_subscribed" -> {
                    column = "REST c=16, 100 subs";
                    cell = String.format(Locale.ROOT, "%,.0f/s lost %s", j.number("requests_per_s"), j.get("lost"));
                }
                case "rest_to_ws_latency" -> {
                    column = "REST→WS p50/p99 ms";
                    cell = String.format(Locale.ROOT, "%.2f/%.2f", j.number("p50_ms"), j.number("p99_ms"));
                }
                default -> {
                }
            }
            if (column == null) {
                continue;
            }
            if (!columns.contains(column)) {
                columns.add(column);
            }
            // A column measured more than once (REST on repeated connection counts) shows each figure in turn.
            rows.computeIfAbsent(target, t -> new LinkedHashMap<>()).merge(column, cell, (first, next) -> first + ", " + next);
        }
        out.println();
        out.println("| target | " + String.join(" | ", columns) + " |");
        out.println("|---|" + "---|".repeat(columns.size()));
        rows.forEach((target, cells) -> {
            StringBuilder line = new StringBuilder("| " + target + " |");
            for (String column : columns) {
                line.append(' ').append(cells.getOrDefault(column, "—")).append(" |");
            }
            out.println(line);
        });
        out.println();
        out.println("(µs) server CPU per delivery at that step; * the generator's core was busy too: a lower bound.");
    }

    private static String count(int n) {
        return n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : Integer.toString(n);
    }

    private static String thousands(double v) {
        return v >= 10_000 ? String.format(Locale.ROOT, "%.0fk", v / 1000) : String.format(Locale.ROOT, "%,.0f", v);
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "\n" + USAGE);
            }
            String name = a.substring(2);
            if (name.equals("quick") || name.equals("help") || name.equals("histograms")) {
                options.put(name, List.of());
            } else if (i + 1 < args.length) {
                options.computeIfAbsent(name, n -> new ArrayList<>()).add(args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
            }
        }
        return options;
    }

    private static String one(Map<String, List<String>> options, String name, String fallback) {
        List<String> values = options.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(values.size() - 1);
    }

    private static List<String> list(Map<String, List<String>> options, String name, String fallback) {
        return Arrays.asList(one(options, name, fallback).split(","));
    }
}
