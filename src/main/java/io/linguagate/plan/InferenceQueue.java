package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Admission to the model: decides, before a request's compression work (all its texts, one batched pass) is queued
 * for the model's batches (the lingua layer's {@code ChunkScheduler}, first come first served), whether it can
 * finish before its deadline. It cannot when the queue is full ({@code linguagate.compression.max-queue}) or when
 * the predicted time — the characters of the admitted work not yet finished (running or waiting; a conservative
 * bound, as shared batches only make it faster; work behind is not counted for work a client waits for, as it
 * yields) plus its own, at the speed measured on finished work — runs past the deadline; the request is then answered {@code skipped:busy} at once instead of waiting for a result it would
 * not use.
 *
 * <p>The speed is learned as a FIFO server's: a finished work's service time runs from when it was admitted or when
 * the work before it finished, whichever is later, so waiting behind others is not counted as slowness.
 */
@ApplicationScoped
public class InferenceQueue {

    /** Weight of the newest measurement in the moving average of the model's speed. */
    static final double SMOOTHING = 0.3;

    private final int maxQueue;
    private final AtomicInteger depth = new AtomicInteger();
    /** Work waiting for or running on the model. */
    private final List<Admitted> admitted = new ArrayList<>();
    /** When the last work finished ({@code Long.MIN_VALUE}: none yet; nanoTime may be negative). */
    private long lastFinished = Long.MIN_VALUE;
    /** Nanoseconds per character of classified text; 0 until measured (nothing is predicted then). */
    private double nanosPerChar;

    @Inject
    InferenceQueue(CompressionConfig config, MeterRegistry registry) {
        this(config.maxQueue(), registry);
    }

    InferenceQueue(int maxQueue, MeterRegistry registry) {
        this.maxQueue = maxQueue;
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
     * Runs {@code work} (classifying {@code chars} characters) unless it cannot finish by the ticket's deadline. Work
     * a client waits for is predicted behind the other such work only: work behind ({@link CompressionTicket#behind})
     * yields the model to it, batch by batch.
     *
     * @throws BusyException when the queue is full or the prediction runs past the deadline
     */
    public <T> T run(long chars, CompressionTicket ticket, Supplier<T> work) {
        long queuedAt = System.nanoTime();
        Admitted mine = new Admitted(chars, ticket);
        synchronized (this) {
            if (admitted.size() >= maxQueue) {
                throw new BusyException("the compression queue is full (" + maxQueue + ")");
            }
            long ahead = 0;
            for (Admitted a : admitted) {
                ahead += ticket.behind() || !a.ticket.behind() ? a.chars : 0;
            }
            long predicted = (long) ((ahead + chars) * nanosPerChar);
            if (queuedAt + predicted > ticket.deadlineNanos()) {
                throw new BusyException("predicted " + predicted / 1_000_000 + " ms, past the deadline");
            }
            admitted.add(mine);
            depth.set(admitted.size());
        }
        try {
            T result = work.get();
            if (!ticket.behind()) { // work behind waits for others: its time is no measure of the model's speed
                learn(chars, queuedAt, System.nanoTime());
            }
            return result;
        } finally {
            synchronized (this) {
                admitted.remove(mine);
                depth.set(admitted.size());
            }
        }
    }

    /** Admitted work: its size and whether a client still waits for it (a class: removed by identity). */
    private static final class Admitted {
        final long chars;
        final CompressionTicket ticket;

        Admitted(long chars, CompressionTicket ticket) {
            this.chars = chars;
            this.ticket = ticket;
        }
    }

    /** Work waiting for or running on the model. */
    public int depth() {
        return depth.get();
    }

    /** The learned speed (0: not measured yet). */
    synchronized double nanosPerChar() {
        return nanosPerChar;
    }

    private synchronized void learn(long chars, long queuedAt, long finished) {
        long served = finished - Math.max(queuedAt, lastFinished);
        lastFinished = Math.max(lastFinished, finished);
        if (chars <= 0 || served <= 0) {
            return;
        }
        double measured = (double) served / chars;
        nanosPerChar = nanosPerChar == 0 ? measured : SMOOTHING * measured + (1 - SMOOTHING) * nanosPerChar;
    }
}
