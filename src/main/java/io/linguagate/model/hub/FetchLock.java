package io.linguagate.model.hub;

import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;

/**
 * An exclusive OS-level lock on a file in the model's cache directory, so that processes sharing a cache volume fetch
 * one at a time: the second one waits, then finds the first one's complete manifest. The lock file itself is never
 * deleted (deleting it would let two processes lock two different files). The lock goes away with the process.
 */
final class FetchLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FetchLock.class);
    static final long POLL_MILLIS = 200;
    static final long LOG_EVERY_NANOS = 30_000_000_000L;

    private final FileChannel channel;
    private final FileLock lock;

    private FetchLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Waits (interruptibly) for the lock on {@code file}. */
    static FetchLock acquire(Path file, String model) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ModelLoadException("Model " + model + ": cannot create the lock file " + file + " ("
                    + ModelFetcher.reason(e) + "); " + ModelFetcher.CACHE_DIR_ADVICE);
        }
        long waitingSince = 0;
        long lastLog = 0;
        try {
            while (true) {
                try {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        if (waitingSince != 0) {
                            LOG.infof("Model %s: the other fetch has finished; going on", model);
                        }
                        return new FetchLock(channel, lock);
                    }
                } catch (OverlappingFileLockException e) {
                    // Held by this JVM through another channel: wait like for another process.
                } catch (IOException e) {
                    // Some network file systems cannot lock at all; fetching is still safe within this process.
                    LOG.warnf("Model %s: cannot lock %s (%s); fetching without a cross-process lock", model, file,
                            ModelFetcher.reason(e));
                    return new FetchLock(channel, null);
                }
                long now = System.nanoTime();
                if (waitingSince == 0) {
                    waitingSince = now;
                }
                if (lastLog == 0 || now - lastLog >= LOG_EVERY_NANOS) {
                    lastLog = now;
                    LOG.infof("Model %s: another process is fetching into %s; waiting for it (%d s so far)", model,
                            file.getParent(), (now - waitingSince) / 1_000_000_000L);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Model " + model + ": interrupted while waiting for another process's fetch"
                    + " into " + file.getParent());
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            // Released when the channel closes.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing held any more.
        }
    }
}
