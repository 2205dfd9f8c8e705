package io.duplex.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar target/duplex.war ...} as its own process, with its output collected line by line. */
public final class WarProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+/) ");

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private WarProcess(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    System.out.println("[war] " + line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "war-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar duplex.war} with these arguments and a temporary directory of its own. */
    public static WarProcess start(Path tmp, String... args) throws IOException {
        return start(tmp, List.of(), args);
    }

    /** Starts {@code java [jvmOptions] -jar duplex.war} with these arguments and a temporary directory of its own. */
    public static WarProcess start(Path tmp, List<String> jvmOptions, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", TestServer.war().toString()));
        command.addAll(List.of(args));
        Files.createDirectories(tmp);
        return new WarProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for the start line and returns the base URL it names. */
    public URI awaitListening() {
        // A generous bound: under a loaded CI machine a WAR's JVM has been seen to take over 20 s to start.
        String line = await().atMost(Duration.ofSeconds(90))
                .until(() -> output.stream().filter(l -> LISTENING.matcher(l).find()).findFirst(), o -> o.isPresent() || !process.isAlive())
                .orElseThrow(() -> new AssertionError("exited without starting: " + output));
        Matcher m = LISTENING.matcher(line);
        m.find();
        return URI.create(m.group(1));
    }

    /** Waits for the process to exit and its output to be read to the end; returns its exit status. */
    public int awaitExit() {
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive() && !reader.isAlive());
        return process.exitValue();
    }

    /** All output so far (stdout and stderr). */
    public List<String> output() {
        return List.copyOf(output);
    }

    public Process process() {
        return process;
    }

    /** Sends SIGTERM. (Process.destroy() would also close our end of its output, losing what it logs while stopping.) */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** CPU time the process has used, in clock ticks, from /proc. */
    public long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
