package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for the tests, started by the test on a free port of 127.0.0.1, with no persistence, and stopped
 * by its process id. It can be stopped and started again on the same port, to play an outage. Without redis-server on
 * the PATH it fails, saying how to install it: the Redis engine's tests never skip silently.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final String executable;
    private final int port;
    private final Path dir;
    /** For a Sentinel: its configuration file, which Sentinel also writes to. Null for a data server. */
    private final Path sentinelConfig;
    private final List<String> extraArguments;
    private final int tlsPort;
    private final Thread killOnExit;
    private Process process;

    private RedisServer(String executable, int port, Path dir, Path sentinelConfig, List<String> extraArguments, int tlsPort) {
        this.executable = executable;
        this.tlsPort = tlsPort;
        this.port = port;
        this.dir = dir;
        this.sentinelConfig = sentinelConfig;
        this.extraArguments = List.copyOf(extraArguments);
        this.killOnExit = new Thread(this::kill, "redis-server-" + port + "-stop");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts a redis-server on a free port of 127.0.0.1. */
    public static RedisServer start() {
        return start(List.of());
    }

    /** Starts a redis-server on a free port of 127.0.0.1 that replicates {@code master}. */
    public static RedisServer replicaOf(RedisServer master) {
        return start(List.of("--replicaof", "127.0.0.1", Integer.toString(master.port())));
    }

    /**
     * Starts a Redis Sentinel on a free port of 127.0.0.1 that watches {@code master} under {@code name}, calls it down
     * after one second without an answer, and fails over on its own vote (quorum 1).
     */
    public static RedisServer sentinel(String name, RedisServer master) {
        try {
            Path dir = Files.createTempDirectory("duplex-sentinel-");
            int port = freePort();
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
                    "sentinel monitor " + name + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + name + " 1000",
                    "sentinel failover-timeout " + name + " 5000", ""));
            RedisServer server = new RedisServer(executable(), port, dir, config, List.of(), -1);
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a redis-server that also serves TLS, on {@link #tlsPort()}, with this certificate and key (PEM); clients
     * are not asked for certificates. The plain port stays, for the test's own commands.
     */
    public static RedisServer withTls(Path certificate, Path key) {
        try {
            int tlsPort = freePort();
            return start(List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certificate.toString(),
                    "--tls-key-file", key.toString(), "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"),
                    tlsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServer start(List<String> extraArguments) {
        return start(extraArguments, -1);
    }

    private static RedisServer start(List<String> extraArguments, int tlsPort) {
        try {
            RedisServer server = new RedisServer(executable(), freePort(), Files.createTempDirectory("duplex-redis-"), null,
                    extraArguments, tlsPort);
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The redis-server on the PATH, or an error that says how to get one. */
    private static String executable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not on the PATH (" + path + "), and the Redis engine's tests need "
                + "a real one: run src/build/prerequisites.sh (it installs it with apt-get) or "
                + "your system's package manager, then run the tests again");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the server (again) on its port, with nothing in it, and waits until it answers PING. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(executable);
        if (sentinelConfig != null) {
            command.addAll(List.of(sentinelConfig.toString(), "--sentinel", "--loglevel", "warning"));
        } else {
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--daemonize", "no", "--loglevel", "warning",
                    // A master waits 5 s by default before it sends its first copy to a new replica (for others to
                    // join the same transfer); a test's replica is alone, and should be usable at once.
                    "--repl-diskless-sync-delay", "0"));
            command.addAll(extraArguments);
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-server.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
        Process started = process;
        await("redis-server on port " + port + " answering PING").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("redis-server exited with " + started.exitValue() + ": "
                                + Files.readString(dir.resolve("redis-server.log")));
                    }
                    return answersPing();
                });
    }

    /** Stops the server (SIGTERM to its process) and waits until it has exited: Redis is down. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Restarts the server with the data it had (saved to disk first, loaded at start), as a Redis with persistence
     * restarts: the same keys, but a new process.
     */
    public synchronized void restartKeepingData() {
        restartKeepingData(() -> { });
    }

    /** The same, running {@code whileDown} (waiting for what an outage does, say) while the server is stopped. */
    public synchronized void restartKeepingData(Runnable whileDown) {
        String reply = command("SAVE");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("SAVE answered " + reply);
        }
        stop();
        try {
            whileDown.run();
        } finally {
            startAgain();
        }
        try {
            // Later restarts of this server start empty again.
            Files.deleteIfExists(dir.resolve("dump.rdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes every client connection in pub/sub mode, as a network cut of those connections alone would. */
    public void killPubSubClients() {
        String reply = command("CLIENT KILL TYPE pubsub");
        if (!reply.startsWith(":")) {
            throw new IllegalStateException("CLIENT KILL answered " + reply);
        }
    }

    /** Deletes every key: what a FLUSHALL by an operator, or a restart without persistence, does to the engine. */
    public void flushAll() {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("FLUSHALL answered " + reply);
        }
    }

    /**
     * Waits until {@code replicas} replicas have acknowledged every write so far (Redis's WAIT), at most 30 s. A replica
     * still making its first copy of the master acknowledges nothing until it has, and on a loaded machine that took
     * longer than one WAIT of 5 s, whose answer then raced the socket's own 5 s read timeout: so WAIT is asked for a
     * second at a time, again, until every replica answered.
     */
    public void awaitReplicas(int replicas) {
        String acknowledged = ":" + replicas;
        await("WAIT " + replicas + " on " + uri()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> command("WAIT " + replicas + " 1000"), acknowledged::equals);
    }

    /** {@code redis://127.0.0.1:PORT} */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The TLS port of a server started {@link #withTls}. */
    public int tlsPort() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this redis-server serves no TLS");
        }
        return tlsPort;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    private boolean answersPing() {
        try {
            return command("PING").startsWith("+PONG");
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Sends one inline command and returns the first line of the reply. */
    private String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test for.
        }
    }
}
