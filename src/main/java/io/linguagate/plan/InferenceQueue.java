package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import io.linguagate.config.ModelConfig;
import io.linguagate.lingua.CompressionCancelledException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission to the model: a request's compression work (all its texts, one batched pass) waits for the model in
 * FIFO order, {@code linguagate.model.concurrent-inferences} at a time, and this queue decides before the work is
 * queued whether it can finish before its deadline. It cannot when the queue is full
 * ({@code linguagate.compression.max-queue}) or when the predicted time — the characters of the work ahead of it
 * (running or waiting; a conservative bound) plus its own, at the speed measured on finished work — runs past the
 * deadline; the request is then answered {@code skipped:busy} at once instead of waiting for a result it would
 * not use.
 */
@ApplicationScoped
public class InferenceQueue {

    /** Weight of the newest measurement in the moving average of the model's speed. */
    static final double SMOOTHING = 0.3;

    private final int maxQueue;
    private final Semaphore model;
    private final AtomicInteger depth = new AtomicInteger();
    private final Timer waits;
    private long charsAhead;
    /** Nanoseconds per character of classified text; 0 until measured (nothing is predicted then). */
    private double nanosPerChar;

    @Inject
    InferenceQueue(CompressionConfig config, ModelConfig models, MeterRegistry registry) {
        this(config.maxQueue(), models.concurrentInferences(), registry);
    }

    InferenceQueue(int maxQueue, int concurrent, MeterRegistry registry) {
        this.maxQueue = maxQueue;
        this.model = new Semaphore(Math.max(1, concurrent), true);
        this.waits = registry == null ? null : Timer.builder("linguagate.compression.queue.wait")
                .description("Time compression work waited for the model").register(registry);
        if (registry != null) {
            registry.gauge("linguagate.compression.queue.depth", depth);
        }
    }

    /** The work could not finish in time (or the queue is full): the caller forwards uncompressed. */
    public static final class BusyException extends RuntimeException {
        BusyException(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Runs {@code work} (classifying {@code chars} characters) unless it cannot finish by {@code deadlineNanos}.
     *
     * @throws BusyException when the queue is full or the prediction runs past the deadline
     */
    public <T> T run(long chars, long deadlineNanos, Supplier<T> work) {
        long queuedAt = System.nanoTime();
        synchronized (this) {
            if (depth.get() >= maxQueue) {
                throw new BusyException("the compression queue is full (" + maxQueue + ")");
            }
            long predicted = (long) ((charsAhead + chars) * nanosPerChar);
            if (queuedAt + predicted > deadlineNanos) {
                throw new BusyException("predicted " + predicted / 1_000_000 + " ms, past the deadline");
            }
            depth.incrementAndGet();
            charsAhead += chars;
        }
        try {
            try {
                model.acquire();
            } catch (InterruptedException e) {
                throw new CompressionCancelledException(); // the client left, or the gateway gave up on it
            }
            long started = System.nanoTime();
            if (waits != null) {
                waits.record(Duration.ofNanos(started - queuedAt));
            }
            try {
                T result = work.get();
                learn(chars, System.nanoTime() - started);
                return result;
            } finally {
                model.release();
            }
        } finally {
            synchronized (this) {
                depth.decrementAndGet();
                charsAhead -= chars;
            }
        }
    }

    /** Work waiting for or running on the model. */
    public int depth() {
        return depth.get();
    }

    private synchronized void learn(long chars, long nanos) {
        if (chars <= 0) {
            return;
        }
        double measured = (double) nanos / chars;
        nanosPerChar = nanosPerChar == 0 ? measured : SMOOTHING * measured + (1 - SMOOTHING) * nanosPerChar;
    }
}
