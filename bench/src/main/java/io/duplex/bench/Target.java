package io.duplex.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server under test: started here as a process pinned to the server's core, or one already running. */
final class Target implements AutoCloseable {
    final String name;
    final Wire wire;
    final InetSocketAddress address;
    /** The server's processes, whose CPU time and memory are measured (the node and its Redis). */
    final List<Long> pids;
    /** Whether this is a JVM (its memory is read after a jcmd GC.run). */
    final boolean jvm;
    final boolean rest;
    private final List<Process> processes;

    private Target(String name, Wire wire, InetSocketAddress address, List<Long> pids, boolean jvm, boolean rest,
            List<Process> processes) {
        this.name = name;
        this.wire = wire;
        this.address = address;
        this.pids = pids;
        this.jvm = jvm;
        this.rest = rest;
        this.processes = processes;
    }

    /** Options shared by the targets this run starts. */
    record Launch(Path war, Path benchClasspath, Path socketIoDir, Path logs, String serverCpu, List<String> jvmOptions,
            List<String> duplexArgs) {
    }

    /**
     * java -jar duplex.war, memory engine or Redis (a redis-server of its own on the server's core); {@code pusher}: the
     * memory engine with subscribers on the Pusher door.
     */
    static Target duplex(Launch launch, String engine) throws Exception {
        int port = freePort();
        List<Process> processes = new ArrayList<>();
        List<String> args = new ArrayList<>();
        String name = "duplex";
        if (engine.equals("redis")) {
            int redisPort = freePort();
            Process redis = start(launch, "redis", List.of("redis-server", "--port", Integer.toString(redisPort), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no"), "Ready to accept connections");
            processes.add(redis);
            args.addAll(List.of("--engine", "redis", "--redis-uri", "redis://127.0.0.1:" + redisPort));
            name = "duplex-redis";
        } else if (engine.equals("pusher")) {
            // The memory engine; subscribers speak Pusher's protocol to the app the node serves.
            args.addAll(List.of("--pusher-apps", Wire.Pusher.APP + ":" + Wire.Pusher.KEY + ":" + Wire.Pusher.SECRET));
            name = "duplex-pusher";
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-jar", launch.war().toString(), "--port", Integer.toString(port),
                // Abuse limits raised so that they do not throttle the load (one generator address, one publisher).
                "--publish-rate", "1000000", "--handshake-rate", "1000000"));
        command.addAll(args);
        command.addAll(launch.duplexArgs());
        Process node = start(launch, name, command, "listening on");
        processes.add(0, node);
        return new Target(name, engine.equals("pusher") ? new Wire.Pusher() : new Wire.Duplex(),
                new InetSocketAddress("127.0.0.1", port), pids(processes), true, true, processes);
    }

    /** The bare @ServerEndpoint broadcast on Jetty's Jakarta WebSocket (BareServer). */
    static Target bare(Launch launch) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-cp", launch.benchClasspath().toString(), BareServer.class.getName(), Integer.toString(port)));
        Process p = start(launch, "bare", command, "listening on");
        return new Target("bare-jakarta", new Wire.Bare(), new InetSocketAddress("127.0.0.1", port), pids(List.of(p)), true,
                false, List.of(p));
    }

    /** The same broadcast on Jetty's native WebSocket API (BareJettyServer), for scale. */
    static Target bareJetty(Launch launch) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(launch.jvmOptions());
        command.addAll(List.of("-cp", launch.benchClasspath().toString(), BareJettyServer.class.getName(), Integer.toString(port)));
        Process p = start(launch, "bare-jetty", command, "listening on");
        return new Target("bare-jetty-api", new Wire.Bare(), new InetSocketAddress("127.0.0.1", port), pids(List.of(p)), true,
                false, List.of(p));
    }

    /** Socket.IO on Node.js, from bench/socketio (npm ci there first). */
    static Target socketIo(Launch launch) throws Exception {
        int port = freePort();
        List<String> command = List.of("node", "--expose-gc", "--max-old-space-size=2048",
                launch.socketIoDir().resolve("server.mjs").toString(), Integer.toString(port));
        Process p = start(launch, "socketio", command, "listening on");
        return new Target("socket.io", new Wire.SocketIo(), new InetSocketAddress("127.0.0.1", port), pids(List.of(p)), false,
                false, List.of(p));
    }

    /** A Duplex node already running (its CPU and memory are measured only when its pid is given). */
    static Target running(URI url, Long pid) {
        return new Target("duplex@" + url.getPort(), new Wire.Duplex(), new InetSocketAddress(url.getHost(), url.getPort()),
                pid == null ? List.of() : List.of(pid), true, true, List.of());
    }

    /** Runs a full collection in the server (jcmd GC.run for a JVM, GET /gc for Node), so that RSS shows live memory. */
    void collectGarbage() {
        try {
            if (pids.isEmpty()) {
                return;
            }
            if (jvm) {
                new ProcessBuilder("jcmd", Long.toString(pids.get(0)), "GC.run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
            } else {
                // HTTP/1.1: an h2c upgrade attempt would be taken by Socket.IO's upgrade handler and dropped.
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(URI.create("http://" + address.getHostString() + ":"
                        + address.getPort() + "/gc")).build(), HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException e) {
            System.err.println("could not collect garbage in " + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Live heap in KiB: the total of jcmd GC.class_histogram (which collects first), or -1 for a non-JVM target. */
    long heapUsedKib() {
        if (!jvm || pids.isEmpty()) {
            return -1;
        }
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pids.get(0)), "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(120, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Total\\s+\\d+\\s+(\\d+)").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Writes the JVM's class histogram (jcmd GC.class_histogram: live objects per class) to {@code file}. */
    void histogram(Path file) {
        if (!jvm || pids.isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder("jcmd", Long.toString(pids.get(0)), "GC.class_histogram").redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start().waitFor(120, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("no histogram of " + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long rssKib() {
        long sum = 0;
        for (long pid : pids) {
            sum += Math.max(0, Cpu.rssKib(pid));
        }
        return pids.isEmpty() ? -1 : sum;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Long> pids(List<Process> processes) {
        return processes.stream().map(Process::pid).toList();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts a process on the server's core, its output in logs/NAME.log; waits for a line containing {@code ready}. */
    private static Process start(Launch launch, String name, List<String> command, String ready) throws Exception {
        List<String> pinned = new ArrayList<>();
        if (launch.serverCpu() != null) {
            pinned.addAll(List.of("taskset", "-c", launch.serverCpu()));
        }
        pinned.addAll(command);
        Files.createDirectories(launch.logs());
        Path log = launch.logs().resolve(name + ".log");
        Process p = new ProcessBuilder(pinned).redirectErrorStream(true).start();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (line.contains(ready)) {
                        started.complete(null);
                    }
                }
            } catch (IOException e) {
                // ended
            }
            started.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see " + log));
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            started.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not start (" + String.join(" ", pinned) + "); see " + log, e);
        }
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether something answers on the address. */
    static boolean reachable(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
