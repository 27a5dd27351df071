package io.linguagate.lingua;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The model's batches, shared by every job running at once: chunks of concurrent requests ride in the same model
 * call, so throughput under concurrency grows instead of serialising request by request (what makes a GPU worth
 * having). There is no dispatcher thread: the threads waiting for results take turns running batches, at most
 * {@code runners} at a time, each batch possibly carrying other jobs' chunks, and every chunk's probabilities go
 * back to the chunk that asked for them.
 *
 * <p>A batch is anchored on the oldest job's longest waiting chunk (first come, first served) and filled, up to
 * {@code maxBatchSize}, with the longest waiting chunks of any job that are no longer than the anchor
 * ({@link BatchShape#PADDED}: nothing pads beyond the anchor) or exactly as long ({@link BatchShape#EQUAL_LENGTH}:
 * nothing pads). A job's first batch waits up to {@code window} for company when it would not be full. A job alone
 * is batched exactly as it was before sharing: longest chunks first.
 *
 * <p>Work behind (a job no client waits for any more, filling the cache) yields: it runs only when no other job
 * waits, one chunk per call. An interrupted job (its client gone, its deadline passed) withdraws its waiting chunks
 * at once; a batch already running finishes, and its results for that job are dropped. A failed model call fails the
 * jobs it carried.
 */
public final class ChunkScheduler {

    private final KeepProbabilityModel model;
    private final int maxBatchSize;
    private final BatchShape shape;
    private final int runners;
    private final long windowNanos;
    private final BatchObserver observer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Jobs with chunks not yet taken into a batch, oldest first. */
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private int running;
    /** When the window {@link #take} last waited for ends. */
    private long windowEnds;

    /**
     * @param runners model calls at once
     * @param window how long a job's first, not full, batch waits for other jobs' chunks
     */
    public ChunkScheduler(KeepProbabilityModel model, int maxBatchSize, BatchShape shape, int runners,
            Duration window, BatchObserver observer) {
        this.model = Objects.requireNonNull(model, "model");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.observer = Objects.requireNonNull(observer, "observer");
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be positive, got " + maxBatchSize);
        }
        if (runners < 1) {
            throw new IllegalArgumentException("runners must be positive, got " + runners);
        }
        this.maxBatchSize = maxBatchSize;
        this.runners = runners;
        this.windowNanos = window.toNanos();
    }

    /** One job's chunks, each to be given its probabilities; returns once all have them. */
    void run(List<? extends ModelChunk> chunks) {
        run(chunks, () -> false);
    }

    /**
     * As {@link #run(List)}; while {@code behind} says so (no client waits for the job), the job's chunks go only
     * when no other job waits, one chunk per model call, so work a client waits for is delayed by one chunk at most.
     */
    void run(List<? extends ModelChunk> chunks, BooleanSupplier behind) {
        if (chunks.isEmpty()) {
            return;
        }
        Job mine = new Job(chunks, behind);
        lock.lock();
        try {
            waiting.addLast(mine);
            changed.signalAll();
            while (mine.done < mine.total && mine.failure == null) {
                if (Thread.interrupted()) {
                    withdraw(mine);
                    throw new CompressionCancelledException();
                }
                Batch batch = running < runners ? take(System.nanoTime()) : null;
                if (batch != null) {
                    runBatch(batch);
                } else if (running < runners && !waiting.isEmpty()) {
                    changed.awaitNanos(windowEnds - System.nanoTime()); // the window
                } else {
                    changed.await();
                }
            }
        } catch (InterruptedException e) {
            withdraw(mine);
            throw new CompressionCancelledException();
        } finally {
            lock.unlock();
        }
        if (mine.failure instanceof RuntimeException r) {
            throw r;
        }
        if (mine.failure instanceof Error err) {
            throw err;
        }
    }

    /** Runs {@code batch} with the lock released; called and returns with the lock held. */
    private void runBatch(Batch batch) {
        running++;
        lock.unlock();
        Map<Job, Throwable> failures = new IdentityHashMap<>();
        try {
            List<int[]> inputs = new ArrayList<>(batch.size());
            long longest = 0;
            for (Taken t : batch.chunks) {
                inputs.add(t.chunk.ids());
                longest = Math.max(longest, t.chunk.length());
            }
            long started = System.nanoTime();
            List<float[]> outputs = model.keepProbabilities(inputs);
            observer.ran(batch.size(), batch.jobs(), longest * batch.size(), System.nanoTime() - started);
            if (outputs == null || outputs.size() != batch.size()) {
                throw new IllegalStateException("model returned " + (outputs == null ? "null" : outputs.size())
                        + " results for a batch of " + batch.size() + " chunks");
            }
            for (int i = 0; i < batch.size(); i++) {
                Taken t = batch.chunks.get(i);
                float[] probs = outputs.get(i);
                try {
                    if (probs == null || probs.length != inputs.get(i).length) {
                        throw new IllegalStateException("model returned " + (probs == null ? "null" : probs.length)
                                + " probabilities for a chunk of " + inputs.get(i).length + " tokens");
                    }
                    t.chunk.accept(probs);
                } catch (RuntimeException | Error e) {
                    failures.putIfAbsent(t.job, e);
                }
            }
        } catch (RuntimeException | Error e) {
            for (Taken t : batch.chunks) {
                failures.putIfAbsent(t.job, e);
            }
        } finally {
            lock.lock();
            running--;
            for (Taken t : batch.chunks) {
                t.job.done++;
            }
            failures.forEach((job, e) -> {
                if (job.failure == null) {
                    job.failure = e;
                    withdraw(job);
                }
            });
            changed.signalAll();
        }
    }

    /**
     * The next batch, or null when there is nothing to run or the oldest job's window is still open (until
     * {@link #windowEnds}).
     */
    private Batch take(long now) {
        Job oldest = null;
        for (Job job : waiting) {
            if (!job.behind.getAsBoolean()) {
                oldest = job;
                break;
            }
        }
        if (oldest == null) {
            Job behind = waiting.peekFirst();
            if (behind == null) {
                return null;
            }
            // Only work behind waits: one chunk, so work a client waits for can be next.
            return takeOnly(behind, now);
        }
        ModelChunk anchor = oldest.pending.get(0);
        List<Taken> candidates = new ArrayList<>();
        for (Job job : waiting) {
            if (job.behind.getAsBoolean()) {
                continue;
            }
            for (ModelChunk c : job.pending) {
                boolean fits = shape == BatchShape.EQUAL_LENGTH ? c.length() == anchor.length()
                        : c.length() <= anchor.length();
                if (fits) {
                    candidates.add(new Taken(job, c));
                }
            }
        }
        if (candidates.size() < maxBatchSize && !oldest.started && now < oldest.waitUntil) {
            windowEnds = oldest.waitUntil;
            return null;
        }
        candidates.remove(0); // the anchor goes first, whatever ties it has
        candidates.sort(Comparator.comparingInt((Taken t) -> t.chunk.length()).reversed()); // stable: FIFO on ties
        candidates.add(0, new Taken(oldest, anchor));
        return taken(new ArrayList<>(candidates.subList(0, Math.min(maxBatchSize, candidates.size()))), now);
    }

    private Batch takeOnly(Job job, long now) {
        return taken(List.of(new Taken(job, job.pending.get(0))), now);
    }

    private Batch taken(List<Taken> chosen, long now) {
        for (Taken t : chosen) {
            t.job.pending.remove(t.chunk);
            if (!t.job.started) {
                t.job.started = true;
                observer.waited(now - t.job.submitted);
            }
        }
        waiting.removeIf(job -> job.pending.isEmpty());
        return new Batch(chosen);
    }

    /** Takes {@code job}'s waiting chunks out of the schedule; its chunks in a running batch just finish. */
    private void withdraw(Job job) {
        job.pending.clear();
        waiting.remove(job);
        changed.signalAll();
    }

    /** Jobs waiting for a batch, for tests. */
    int waitingJobs() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    private final class Job {
        final long submitted = System.nanoTime();
        final long waitUntil = submitted + windowNanos;
        final BooleanSupplier behind;
        final int total;
        /** Chunks not yet in a batch, longest first (stable). */
        final List<ModelChunk> pending;
        int done;
        boolean started;
        Throwable failure;

        Job(List<? extends ModelChunk> chunks, BooleanSupplier behind) {
            this.behind = behind;
            this.total = chunks.size();
            this.pending = new ArrayList<>(chunks);
            this.pending.sort(Comparator.comparingInt(ModelChunk::length).reversed());
        }
    }

    private record Taken(Job job, ModelChunk chunk) {
    }

    private record Batch(List<Taken> chunks) {
        int size() {
            return chunks.size();
        }

        int jobs() {
            Set<Job> jobs = Collections.newSetFromMap(new IdentityHashMap<>()); // hash codes need not be unique
            for (Taken t : chunks) {
                jobs.add(t.job);
            }
            return jobs.size();
        }
    }
}
