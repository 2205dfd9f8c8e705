package io.duplex.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Flight recordings of a Java target around one measured section (--profile DIR): JFR's profile settings with method
 * sampling at its highest rate, started and stopped with jcmd, so a recording holds that section and nothing else.
 * Read them with {@code jfr print --events jdk.ExecutionSample --stack-depth 64 FILE}.
 */
final class Profiler {
    private Profiler() {
    }

    /** Starts a recording named {@code label}; returns what stops it (does nothing without --profile or for Node). */
    static AutoCloseable record(Bench bench, Target target, String label) {
        if (bench.profiles == null || !target.jvm || target.pids.isEmpty()) {
            return () -> { };
        }
        String pid = Long.toString(target.pids.get(0));
        Path file = bench.profiles.resolve(target.name + "-" + label + ".jfr").toAbsolutePath();
        try {
            Files.createDirectories(bench.profiles);
            jcmd(pid, "JFR.start", "name=" + label, "settings=profile", "method-profiling=max");
        } catch (IOException e) {
            bench.progress("no recording of " + label + ": " + e.getMessage());
            return () -> { };
        }
        return () -> {
            jcmd(pid, "JFR.stop", "name=" + label, "filename=" + file);
            bench.progress("recorded " + label + " in " + file);
        };
    }

    private static void jcmd(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "jcmd";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            if (p.exitValue() != 0 || out.contains("Could not") || out.contains("rror")) {
                throw new IOException(String.join(" ", command) + ": " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
