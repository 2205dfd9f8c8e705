package io.duplex.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a {@code java.util.logging} logger (and those under it) logs from now until {@link #close()}, at a level and up.
 * Nodes started by the tests run in the test JVM, so their log is this one. The logger is let down to the level for
 * the watch if it would not log that low, and set back after it.
 */
public final class LogWatch implements AutoCloseable {
    private final Logger logger;
    private final Level previous;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private LogWatch(Logger logger, Level level) {
        this.logger = logger;
        this.previous = logger.getLevel();
        this.handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= level.intValue()) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        if (effectiveLevel(logger).intValue() > level.intValue()) {
            logger.setLevel(level);
        }
        logger.addHandler(handler);
    }

    private static Level effectiveLevel(Logger logger) {
        for (Logger l = logger; l != null; l = l.getParent()) {
            if (l.getLevel() != null) {
                return l.getLevel();
            }
        }
        return Level.INFO;
    }

    /** Watches the logger named {@code name} at {@code level} and up. */
    public static LogWatch of(String name, Level level) {
        return new LogWatch(Logger.getLogger(name), level);
    }

    /** Watches {@code logger} at {@code level} and up. */
    public static LogWatch of(Logger logger, Level level) {
        return new LogWatch(logger, level);
    }

    /** The records so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The messages of the records so far (unformatted), oldest first. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previous);
    }
}
