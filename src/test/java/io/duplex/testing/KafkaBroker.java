package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker for the tests: one KRaft node (broker and controller in one JVM of its own), started on free ports
 * of 127.0.0.1 from the jars the build copied to {@code target/kafka-broker/lib} (src/test/kafka/pom.xml), and stopped
 * by its process id. It can be stopped and started again on the same ports and data, to play an outage, or killed.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Kafka's clients in the tests log their whole configuration at INFO: only their warnings are worth reading. */
    private static final java.util.logging.Logger CLIENT_LOG = quiet();

    private final Path dir;
    private final int port;
    private final int controllerPort;
    /** The port of a SASL_PLAINTEXT listener with SCRAM-SHA-256 logins, or -1. */
    private final int saslPort;
    private final Thread killOnExit;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort, int saslPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.saslPort = saslPort;
        this.killOnExit = new Thread(this::kill, "kafka-broker-" + port + "-stop");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    private static java.util.logging.Logger quiet() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.apache.kafka");
        if (log.getLevel() == null) {
            log.setLevel(java.util.logging.Level.WARNING);
        }
        return log;
    }

    /** Formats a new single-node cluster in a temporary directory and starts it; returns when it answers. */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /** The same, with these broker settings added to (or replacing) the fixture's own. */
    public static KafkaBroker start(Map<String, String> settings) {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("duplex-kafka-"), freePort(), freePort(), -1);
            broker.configure(settings);
            broker.format(List.of());
            broker.startAgain();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A broker that also listens for SASL_PLAINTEXT clients on {@link #saslBootstrapServers()}, who log in with
     * SCRAM-SHA-256 as {@code user} with {@code password} (a credential written into the cluster's metadata when its
     * storage is formatted). The plain listener stays, for the test's own clients.
     */
    public static KafkaBroker withScram(String user, String password) {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("duplex-kafka-"), freePort(), freePort(), freePort());
            broker.configure(Map.of(
                    "listeners", "PLAINTEXT://127.0.0.1:" + broker.port + ",SASL_PLAINTEXT://127.0.0.1:" + broker.saslPort
                            + ",CONTROLLER://127.0.0.1:" + broker.controllerPort,
                    "advertised.listeners", "PLAINTEXT://127.0.0.1:" + broker.port + ",SASL_PLAINTEXT://127.0.0.1:" + broker.saslPort,
                    "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                    "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
            broker.format(List.of("--add-scram", "SCRAM-SHA-256=[name=" + user + ",password=" + password + "]"));
            broker.startAgain();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's jars, or an error that says how to get them. */
    static Path lib() {
        Path lib = Path.of(System.getProperty("duplex.kafka.lib", "target/kafka-broker/lib")).toAbsolutePath();
        try (Stream<Path> jars = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            if (jars.anyMatch(jar -> jar.getFileName().toString().startsWith("kafka_2.13-"))) {
                return lib;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no Kafka broker in " + lib + ": the Kafka tests start a real one from the jars that "
                + "`mvn verify` copies there (src/test/kafka/pom.xml); to copy them by hand: "
                + "mvn -f src/test/kafka/pom.xml dependency:copy-dependencies");
    }

    private void configure(Map<String, String> settings) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("log.dirs", dir.resolve("data").toString());
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // A group forms at once rather than after 3 s, and a consumer that died is noticed after seconds, not 45.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("group.min.session.timeout.ms", "1000");
        // Topics exist only when a test creates them: an unknown topic must stay unknown.
        p.setProperty("auto.create.topics.enable", "false");
        p.putAll(settings);
        try (var out = Files.newBufferedWriter(dir.resolve("server.properties"))) {
            p.store(out, "io.duplex.testing.KafkaBroker");
        }
    }

    private void format(List<String> extra) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        id[0] &= 0x3f; // a cluster id must not start with '-', which base64url would make of a high first bit
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        List<String> arguments = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-c",
                dir.resolve("server.properties").toString(), "-t", clusterId));
        arguments.addAll(extra);
        Process formatting = java(arguments, dir.resolve("format.log"));
        try {
            if (!formatting.waitFor(60, TimeUnit.SECONDS) || formatting.exitValue() != 0) {
                formatting.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka broker's storage failed: " + Files.readString(dir.resolve("format.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process java(List<String> mainAndArguments, Path log) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                // Small and quick: a broker for a few thousand records on a machine shared with the tests.
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", lib() + File.separator + "*"));
        command.addAll(mainAndArguments);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
    }

    /** Starts the broker (again) on its ports and data, and waits until it answers an admin request. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the Kafka broker on port " + port + " is already running");
        }
        process = java(List.of("kafka.Kafka", dir.resolve("server.properties").toString()), dir.resolve("broker.log"));
        Process started = process;
        // The admin client only once the port is open: before, it logs each refused connection.
        await("Kafka broker on port " + port + " listening").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("the Kafka broker exited with " + started.exitValue() + ": " + log());
                    }
                    return listening();
                });
        try (Admin admin = admin()) {
            await("Kafka broker on port " + port + " answering").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        try {
                            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                        } catch (ExecutionException | TimeoutException e) {
                            return false;
                        }
                    });
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker (SIGTERM, a controlled shutdown) and waits until it has exited. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills the broker (SIGKILL): no controlled shutdown. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null) {
            return;
        }
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Creates a topic with this many partitions (one replica) and waits until it is there. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An admin client of this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** {@code 127.0.0.1:PORT} */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT} of the SASL_PLAINTEXT listener of a broker started {@link #withScram}. */
    public String saslBootstrapServers() {
        if (saslPort < 0) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return "127.0.0.1:" + saslPort;
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The broker's own log so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("broker.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or ran.
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A temporary directory left behind is not worth failing a test for.
        }
    }
}
