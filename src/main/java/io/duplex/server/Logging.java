package io.duplex.server;

import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import org.eclipse.jetty.io.EofException;

/**
 * The embedded server's logging: everything (Duplex, Jetty through SLF4J, Weld, Jersey) goes through
 * java.util.logging to standard output, one line per event. Libraries speak only at WARN and above:
 * what an operator needs from a start is Duplex's own line, not each library's banner.
 * A {@code -Djava.util.logging.config.file} given by the operator replaces all of this.
 */
final class Logging {
    // Strong references: java.util.logging holds loggers weakly, and a collected logger forgets its level.
    private static final String[] QUIET = {"org.eclipse.jetty", "org.jboss.weld", "org.glassfish", "io.swagger", "org.hibernate.validator"};
    private static final Logger[] CONFIGURED = new Logger[QUIET.length + 1];
    private static final Logger CLIENT_GONE = Logger.getLogger("io.duplex.server.ClientGone");
    /** Exceptions whose message alone says why the application cannot start. */
    private static final Set<String> EXPLAINED = Set.of("io.duplex.bridge.BridgeException");

    private Logging() {
    }

    static void configure(String duplexLevel) {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        // A StreamHandler on System.out (a ConsoleHandler redirected there would close System.err).
        Handler out = new StreamHandler(System.out, new LineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            @Override
            public synchronized void close() {
                flush();
            }
        };
        out.setLevel(Level.ALL);
        out.setFilter(record -> notAClientGone(record) && notAnExplainedFailure(record));
        root.addHandler(out);
        root.setLevel(Level.INFO);
        for (int i = 0; i < QUIET.length; i++) {
            CONFIGURED[i] = Logger.getLogger(QUIET[i]);
            CONFIGURED[i].setLevel(Level.WARNING);
        }
        CONFIGURED[QUIET.length] = Logger.getLogger("io.duplex");
        CONFIGURED[QUIET.length].setLevel(level(duplexLevel));
    }

    /**
     * Jersey logs a client that closed its connection before Jersey finished the response as an ERROR with a
     * full stack trace. Over HTTP/2 that is routine: a client such as curl closes the connection as soon as it has
     * the whole response, and Jetty then fails the stream while Jersey is still closing its output (seen on 12 of
     * 20 curl requests). Nothing is wrong on the server, so it becomes one debug line.
     */
    private static boolean notAClientGone(LogRecord record) {
        if (record.getLoggerName() == null || !record.getLoggerName().startsWith("org.glassfish.jersey")) {
            return true;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EofException) {
                CLIENT_GONE.fine(() -> "a client closed its connection before its response was complete ("
                        + record.getMessage() + ")");
                return false;
            }
        }
        return true;
    }

    /**
     * A start that fails for a reason the application explains itself (a bridge that cannot run: an unknown Kafka topic)
     * is reported by the launcher in one line, "duplex: could not start: …"; Jetty's warning of the same failure would
     * add the exception's whole stack trace to it. (The webapp's classes are not this loader's: compared by name.)
     */
    private static boolean notAnExplainedFailure(LogRecord record) {
        if (record.getLoggerName() == null || !record.getLoggerName().startsWith("org.eclipse.jetty")) {
            return true;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (EXPLAINED.contains(t.getClass().getName())) {
                return false;
            }
        }
        return true;
    }

    private static Level level(String name) {
        return switch (name) {
            case "error" -> Level.SEVERE;
            case "warn" -> Level.WARNING;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        };
    }
}
