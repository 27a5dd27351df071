package io.linguagate.model.hub;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Closes a response body when no bytes have arrived for the read timeout: the JDK client bounds only the wait for
 * response headers, not a transfer that stalls half-way. A blocked read then fails and {@link #fired()} says why.
 */
final class ReadWatchdog implements AutoCloseable {

    private final Closeable body;
    private final long timeoutNanos;
    private final Thread thread;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean fired;
    private volatile boolean done;

    private ReadWatchdog(Closeable body, Duration timeout) {
        this.body = body;
        this.timeoutNanos = timeout.toNanos();
        long checkMillis = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        this.thread = Thread.ofVirtual().name("linguagate-hub-read-watchdog").unstarted(() -> watch(checkMillis));
    }

    static ReadWatchdog start(Closeable body, Duration timeout) {
        ReadWatchdog watchdog = new ReadWatchdog(body, timeout);
        watchdog.thread.start();
        return watchdog;
    }

    /** Bytes arrived. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** Whether the body was closed for want of data. */
    boolean fired() {
        return fired;
    }

    private void watch(long checkMillis) {
        try {
            while (!done) {
                Thread.sleep(checkMillis);
                if (!done && System.nanoTime() - lastActivity > timeoutNanos) {
                    fired = true;
                    try {
                        body.close();
                    } catch (IOException e) {
                        // The reader fails either way.
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Stopped by close().
        }
    }

    @Override
    public void close() {
        done = true;
        thread.interrupt();
    }
}
