package io.linguagate.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/** Collects every log line the application writes while installed, formatted with its parameters. */
public final class LogCapture extends Handler implements AutoCloseable {

    /** Marks a line logged with a throwable, i.e. one that prints a stack trace. */
    private static final String THROWN = " \u2014thrown: ";

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** Whether the line was logged with a throwable (a stack trace in the real log). */
    public static boolean hasStackTrace(String line) {
        return line.contains(THROWN);
    }

    public static LogCapture install() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record);
        Throwable thrown = record.getThrown();
        lines.add(record.getLoggerName() + " " + message + (thrown == null ? "" : THROWN + thrown));
    }

    public List<String> lines() {
        return lines;
    }

    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
