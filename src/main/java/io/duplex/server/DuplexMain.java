package io.duplex.server;

import io.duplex.config.CommandLine;
import io.duplex.config.ConfigException;
import java.io.IOException;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.logging.Logger;

/** The command {@code java -jar duplex.war}: parses the command line, starts the embedded server, stops it on SIGTERM. */
public final class DuplexMain {
    private static final Logger LOG = Logger.getLogger("io.duplex");

    private DuplexMain() {
    }

    /**
     * Runs Duplex from the WAR; returns the exit status when it could not start or had nothing to run, and
     * otherwise blocks until the server has stopped. {@code cleanUp} runs once, when nothing of the embedded
     * server runs any more: at once if it never started, after the stop if it did.
     */
    public static int run(Path war, String[] args, Runnable cleanUp) {
        int status = start(war, args, cleanUp);
        if (status >= 0) {
            cleanUp.run();
        }
        return Math.max(status, 0);
    }

    /** -1 once the server ran (its shutdown hook cleans up); otherwise the exit status. */
    private static int start(Path war, String[] args, Runnable afterStop) {
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println("duplex: " + p));
            System.err.println("duplex: see --help for the options");
            return 2;
        }
        if (commandLine.help()) {
            System.out.print(CommandLine.usage());
            return 0;
        }
        if (commandLine.version()) {
            System.out.println("Duplex " + version(war));
            return 0;
        }

        long started = System.nanoTime();
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(war, commandLine);
        } catch (ConfigException e) {
            e.problems().forEach(p -> System.err.println("duplex: " + p));
            return 2;
        } catch (Exception e) {
            System.err.println("duplex: could not start: " + reason(e));
            return 1;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            LOG.info("stopping: closing sessions and finishing requests in flight");
            try {
                server.close();
            } catch (Exception e) {
                LOG.warning("stop failed: " + reason(e));
            }
            LOG.info(() -> "stopped in " + (System.nanoTime() - stopping) / 1_000_000 + " ms");
            afterStop.run();
        }, "duplex-shutdown"));

        String base = server.uri().toString();
        String ws = base.replaceFirst("^http", "ws");
        String metrics = server.managementUri() == null ? base + "metrics (metrics)"
                : server.managementUri() + "metrics (metrics, management port)";
        LOG.info(() -> "Duplex " + version(war) + " listening on " + base + " (console), " + base + "api (REST), "
                + ws + "ws (WebSocket), " + base + "api/openapi.json (OpenAPI), " + metrics + "; started in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static String version(Path war) {
        try (JarFile jar = new JarFile(war.toFile())) {
            String version = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            return version == null ? "(unknown version)" : version;
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    /** The deepest cause's message, which is the one that names the problem (a port in use, a bad setting). */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConfigException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof BindException) {
            return "the address is in use or not available (" + root.getMessage() + "); choose another with --port or --host";
        }
        if (root instanceof UnresolvedAddressException) {
            return "the host is not an address of this machine; check --host";
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

}
