package io.duplex.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A suite of JavaScript tests run with Node's test runner ({@code node --test}) against live nodes: the test
 * passes when the suite does, and the suite's own report (one line per test) goes to the build's output.
 */
public final class NodeSuite {
    private NodeSuite() {
    }

    /**
     * Runs {@code node --test file} in {@code dir} with the given environment and fails with the suite's
     * report unless it passes within {@code limit}.
     */
    public static void run(Path dir, String file, Map<String, String> environment, Duration limit) throws IOException, InterruptedException {
        run(new ProcessBuilder("node", "--test", "--test-reporter=spec", file).directory(dir.toFile()), file, environment, limit);
    }

    /** Runs {@code node program} (a plain program, not a test suite) and fails with its output unless it exits 0 within {@code limit}. */
    public static void runProgram(Path program, Map<String, String> environment, Duration limit) throws IOException, InterruptedException {
        run(new ProcessBuilder("node", program.getFileName().toString()).directory(program.toAbsolutePath().getParent().toFile()),
                program.toString(), environment, limit);
    }

    private static void run(ProcessBuilder builder, String file, Map<String, String> environment, Duration limit)
            throws IOException, InterruptedException {
        builder.redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile("node-suite", ".log");
        try {
            Process node = builder.redirectOutput(log.toFile()).start();
            boolean finished = node.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                node.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output);
            assertTrue(finished, file + " did not finish within " + limit + ":\n" + output);
            assertEquals(0, node.exitValue(), output);
        } finally {
            Files.delete(log);
        }
    }
}
