package io.linguagate.model.hub;

import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Progress lines for large files: at every further tenth of the file and at least every five seconds, with MB done,
 * MB total and the rate of this transfer (bytes resumed from an earlier attempt do not count towards the rate).
 */
final class Progress {

    static final long LARGE_FILE_BYTES = 10L * 1024 * 1024;
    static final long INTERVAL_NANOS = 5_000_000_000L;

    private final Logger log;
    private final String label;
    private final long total;
    private final long startBytes;
    private final long startNanos = System.nanoTime();
    private final boolean enabled;
    private long lastLogNanos = startNanos;
    private int lastTenth;

    /**
     * @param label      "model: file", for the log line
     * @param total      expected size, or -1 when unknown
     * @param startBytes bytes already on disk when this transfer began
     */
    Progress(Logger log, String label, long total, long startBytes) {
        this.log = log;
        this.label = label;
        this.total = total;
        this.startBytes = startBytes;
        this.enabled = total > LARGE_FILE_BYTES;
        this.lastTenth = total > 0 ? (int) (startBytes * 10 / total) : 0;
        if (enabled) {
            if (startBytes > 0) {
                log.infof("Downloading %s: %s MB, resuming at %s MB", label, mb(total), mb(startBytes));
            } else {
                log.infof("Downloading %s: %s MB", label, mb(total));
            }
        }
    }

    /** {@code done}: bytes on disk now, including resumed ones. */
    void update(long done) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        int tenth = (int) (done * 10 / total);
        if (tenth > lastTenth && done < total || now - lastLogNanos >= INTERVAL_NANOS) {
            lastTenth = Math.max(lastTenth, tenth);
            lastLogNanos = now;
            log.infof("Downloading %s: %s / %s MB (%d%%), %s MB/s", label, mb(done), mb(total), done * 100 / total,
                    rate(done, now));
        }
    }

    void finished(long done) {
        if (enabled) {
            long now = System.nanoTime();
            log.infof("Downloaded %s: %s MB in %s s (%s MB/s)", label, mb(done),
                    String.format(Locale.ROOT, "%.1f", (now - startNanos) / 1e9), rate(done, now));
        }
    }

    private String rate(long done, long now) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%.1f", (done - startBytes) / 1048576.0 / seconds);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
