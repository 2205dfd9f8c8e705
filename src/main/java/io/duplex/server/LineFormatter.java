package io.duplex.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** One line per event: time, level, source, message. A stack trace follows only when the record carries one. */
final class LineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(160)
                .append(TIME.format(record.getInstant())).append(' ')
                .append(String.format("%-5s", level(record.getLevel()))).append(' ')
                .append(source(record.getLoggerName())).append(": ")
                .append(formatMessage(record)).append(System.lineSeparator());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static String level(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (level.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }

    /** {@code io.duplex.core.Node} → {@code duplex.Node}; other libraries keep their last two name parts. */
    private static String source(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "root";
        }
        if (logger.equals("io.duplex")) {
            return "duplex";
        }
        if (logger.startsWith("io.duplex.")) {
            return "duplex." + logger.substring(logger.lastIndexOf('.') + 1);
        }
        int last = logger.lastIndexOf('.');
        int before = last > 0 ? logger.lastIndexOf('.', last - 1) : -1;
        return logger.substring(before + 1);
    }
}
