package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for the tests (Debian's {@code mosquitto}), started by the test on a free port of 127.0.0.1
 * with a configuration file of its own and stopped by its process id. It persists its sessions (queued QoS 1 messages
 * survive {@link #restart}), optionally asks for a user name and password, and optionally serves TLS. The clients the
 * tests drive it with are Mosquitto's own command-line tools, {@code mosquitto_pub} and {@code mosquitto_sub}: clients
 * someone else wrote. Without mosquitto installed it fails saying how to install it; the MQTT tests never skip.
 */
public final class MosquittoBroker implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final String user;
    private final String password;
    private final Path certificate;
    private final Path key;
    private final Thread killOnExit;
    private Process process;

    private MosquittoBroker(Path dir, int port, String user, String password, Path certificate, Path key) {
        this.dir = dir;
        this.port = port;
        this.user = user;
        this.password = password;
        this.certificate = certificate;
        this.key = key;
        this.killOnExit = new Thread(this::kill, "mosquitto-" + port + "-stop");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** A broker anyone may use without logging in. */
    public static MosquittoBroker start() {
        return start(null, null, null, null);
    }

    /** A broker that admits only this user with this password. */
    public static MosquittoBroker withPassword(String user, String password) {
        return start(user, password, null, null);
    }

    /** A broker that speaks TLS only, with this certificate and key (PEM), and admits only this user. */
    public static MosquittoBroker withTls(Path certificate, Path key, String user, String password) {
        return start(user, password, certificate, key);
    }

    private static MosquittoBroker start(String user, String password, Path certificate, Path key) {
        try {
            MosquittoBroker broker = new MosquittoBroker(Files.createTempDirectory("duplex-mosquitto-"), freePort(), user,
                    password, certificate, key);
            broker.writeConfig();
            broker.startAgain();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeConfig() throws IOException {
        List<String> lines = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "persistence true",
                "persistence_location " + dir.resolve("data") + "/", "autosave_interval 1",
                // Mosquitto keeps 1,000 queued messages per session by default and drops the rest ("Outgoing messages
                // are being dropped"): a node away during a burst would lose them (MqttClusterIT saw it). Operators
                // size it for what arrives while a node restarts; docs/mqtt.md says so.
                "max_queued_messages 100000",
                // A file, not stdout: into a pipe or file mosquitto's stdout is block-buffered, and a test reading the log
                // (which client connected with which protocol level) would not see the last lines.
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error", "log_type warning", "log_type notice", "log_type information"));
        Files.createDirectories(dir.resolve("data"));
        if ("root".equals(System.getProperty("user.name"))) {
            // As root mosquitto drops to the user mosquitto, which cannot write our directory: the queue would not persist.
            lines.add("user root");
        }
        if (user != null) {
            Path passwords = dir.resolve("passwords");
            Files.writeString(passwords, "");
            run(List.of(tool("mosquitto_passwd"), "-b", passwords.toString(), user, password));
            lines.add("allow_anonymous false");
            lines.add("password_file " + passwords);
        } else {
            lines.add("allow_anonymous true");
        }
        if (certificate != null) {
            lines.add("certfile " + certificate);
            lines.add("keyfile " + key);
        }
        Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", lines) + "\n");
    }

    /** The Mosquitto program {@code name}, from the PATH or Debian's /usr/sbin, or an error saying how to install it. */
    static String tool(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not on the PATH (" + path + "), and the MQTT bridge's tests need a real "
                + "broker and its clients: run src/build/prerequisites.sh (it installs mosquitto and mosquitto-clients with "
                + "apt-get), then run the tests again");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The address the bridge's mqtt.uri takes. */
    public String uri() {
        return (certificate != null ? "mqtts" : "mqtt") + "://127.0.0.1:" + port;
    }

    /** Starts the broker (again) on its port, with the sessions it saved, and waits until it accepts connections. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mosquitto on port " + port + " is already running");
        }
        List<String> command = List.of(tool("mosquitto"), "-c", dir.resolve("mosquitto.conf").toString());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
        Process started = process;
        await("mosquitto on port " + port + " accepting connections").atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("mosquitto exited with " + started.exitValue() + ": " + log());
                    }
                    return accepts();
                });
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the broker logged so far (its log file, then what it printed before it could open it). */
    public String log() {
        StringBuilder log = new StringBuilder();
        for (String file : List.of("mosquitto.log", "mosquitto.out")) {
            try {
                if (Files.exists(dir.resolve(file))) {
                    log.append(Files.readString(dir.resolve(file)));
                }
            } catch (IOException e) {
                log.append("(no ").append(file).append(": ").append(e).append(")\n");
            }
        }
        return log.toString();
    }

    /** Stops the broker (SIGTERM: it saves its sessions and queues) and waits until it has exited. */
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

    /** Stops the broker and starts it again on the same port with what it saved. */
    public void restart() {
        stop();
        startAgain();
    }

    private void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    // ---- Mosquitto's own clients ----

    /** The options every client needs to reach this broker: host, port, login and TLS. */
    private List<String> connection() {
        // Over TLS by the name the test's certificate is for (it listens on 127.0.0.1, which localhost is).
        List<String> options = new ArrayList<>(List.of("-h", certificate != null ? "localhost" : "127.0.0.1", "-p",
                Integer.toString(port)));
        if (user != null) {
            options.addAll(List.of("-u", user, "-P", password));
        }
        if (certificate != null) {
            options.addAll(List.of("--cafile", certificate.toString()));
        }
        return options;
    }

    /**
     * Publishes one message with {@code mosquitto_pub} (MQTT 5) and waits for it to exit: at QoS 1 and 2 the broker has
     * the message once it returned. {@code more} adds options ({@code -r} retain, {@code -D publish user-property k v}).
     */
    public void publish(String topic, String payload, int qos, String... more) {
        List<String> command = new ArrayList<>(List.of(tool("mosquitto_pub"), "-V", "mqttv5", "-q", Integer.toString(qos),
                "-t", topic, "-m", payload));
        command.addAll(connection());
        command.addAll(List.of(more));
        run(command);
    }

    /**
     * Publishes many messages with one {@code mosquitto_pub -l}: each line of {@code lines} is one message, in order, on
     * one connection. {@code more} adds options ({@code -V mqttv311}: a later -V wins).
     */
    public void publishLines(String topic, List<String> lines, int qos, String... more) {
        List<String> command = new ArrayList<>(List.of(tool("mosquitto_pub"), "-V", "mqttv5", "-q", Integer.toString(qos),
                "-t", topic, "-l"));
        command.addAll(connection());
        command.addAll(List.of(more));
        try {
            Process pub = new ProcessBuilder(command).redirectErrorStream(true).start();
            pub.getOutputStream().write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            pub.getOutputStream().close();
            String output = new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pub.waitFor(60, TimeUnit.SECONDS) || pub.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_pub -l failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in 30 s: " + output);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a {@code mosquitto_sub} (MQTT 5, QoS 1) on {@code filter} that collects what it receives as
     * {@code topic retain payload} lines; it is subscribed when this returns. {@code more} adds options ({@code -i ID}).
     */
    public Subscriber subscribe(String filter, String... more) {
        // Through stdbuf: into a pipe, mosquitto_sub's output would wait in its buffer, its SUBACK line with it.
        List<String> command = new ArrayList<>(List.of("stdbuf", "-oL", tool("mosquitto_sub"), "-V", "mqttv5", "-q", "1",
                "-t", filter, "-F", "%t %r %p", "-d"));
        command.addAll(connection());
        command.addAll(List.of(more));
        return new Subscriber(command);
    }

    /** A running {@code mosquitto_sub}: the messages it printed, stopped by its pid. */
    public static final class Subscriber implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private volatile boolean subscribed;

        private Subscriber(List<String> command) {
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread reader = new Thread(this::read, "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                org.awaitility.Awaitility.await("mosquitto_sub subscribed").atMost(Duration.ofSeconds(10))
                        .until(() -> subscribed || !process.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                close();
                throw e;
            }
            if (!subscribed) {
                close(); // the process must not outlive the failed test
                throw new IllegalStateException("mosquitto_sub did not subscribe: " + String.join("\n", lines));
            }
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    // -d prints the protocol's exchanges ("Client ... received SUBACK"); the messages are the other lines.
                    if (line.startsWith("Client ") || line.startsWith("Subscribed") || line.startsWith(" ")) {
                        if (line.contains("SUBACK")) {
                            subscribed = true;
                        }
                        continue;
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** {@code topic retain payload} for each message received so far (retain 0 or 1). */
        public List<String> messages() {
            return List.copyOf(lines);
        }

        /** Waits until {@code count} messages came, and returns them. */
        public List<String> await(int count) {
            org.awaitility.Awaitility.await(count + " MQTT messages at mosquitto_sub").atMost(Duration.ofSeconds(30))
                    .until(() -> lines.size() >= count);
            return messages();
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
