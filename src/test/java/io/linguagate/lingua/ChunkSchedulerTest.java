package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.lingua.Fakes.ToyTokenizer;
import io.linguagate.lingua.Fakes.UnitCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-request batching with scripted models: concurrent jobs share model calls, and every chunk gets back exactly
 * the probabilities of its own tokens; first come first served; withdrawn and failed jobs leave the others alone.
 */
class ChunkSchedulerTest {

    /** A deterministic function of the token id and nothing else (not the batch, not the position in it). */
    static float probOf(int id) {
        return (float) ((id * 2654435761L & 0xffff) / 65536.0);
    }

    /** A model whose probabilities are {@link #probOf}, recording every call's chunks. */
    static final class RecordingModel implements KeepProbabilityModel {
        final List<List<int[]>> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile CountDownLatch entered = new CountDownLatch(1);
        volatile int failOnId = -1;
        volatile long sleepMillis;

        @Override
        public List<float[]> keepProbabilities(List<int[]> chunks) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                calls.add(chunks.stream().map(int[]::clone).toList());
                entered.countDown();
                gate.await(10, TimeUnit.SECONDS);
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                List<float[]> out = new ArrayList<>();
                for (int[] chunk : chunks) {
                    float[] p = new float[chunk.length];
                    for (int t = 0; t < chunk.length; t++) {
                        if (chunk[t] == failOnId) {
                            throw new IllegalStateException("scripted model failure");
                        }
                        p[t] = probOf(chunk[t]);
                    }
                    out.add(p);
                }
                return out;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** A chunk of a job: checks that what it gets is its own tokens' probabilities. */
    static final class Chunk implements ModelChunk {
        final int[] ids;
        volatile float[] got;

        Chunk(int... ids) {
            this.ids = ids;
        }

        @Override
        public int length() {
            return ids.length;
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        @Override
        public void accept(float[] probs) {
            got = probs;
        }

        void assertOwnResult() {
            float[] expected = new float[ids.length];
            for (int t = 0; t < ids.length; t++) {
                expected[t] = probOf(ids[t]);
            }
            assertArrayEquals(expected, got);
        }
    }

    /** Counts calls that carried more than one job. */
    static final class SharingObserver implements BatchObserver {
        final AtomicInteger shared = new AtomicInteger();
        final AtomicInteger waits = new AtomicInteger();

        @Override
        public void waited(long nanos) {
            waits.incrementAndGet();
        }

        @Override
        public void ran(int chunks, int jobs, long tokens, long nanos) {
            if (jobs > 1) {
                shared.incrementAndGet();
            }
        }
    }

    /** Job {@code job}'s token ids are job * 10,000 + a counter: any mix-up between jobs shows. */
    private static List<Chunk> randomJob(Random random, int job, int[] lengths) {
        int count = 1 + random.nextInt(10);
        List<Chunk> chunks = new ArrayList<>();
        int next = job * 10_000;
        for (int c = 0; c < count; c++) {
            int[] ids = new int[lengths[random.nextInt(lengths.length)]];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = next++;
            }
            chunks.add(new Chunk(ids));
        }
        return chunks;
    }

    @ParameterizedTest
    @EnumSource(BatchShape.class)
    void concurrentJobsShareBatchesAndEachChunkGetsItsOwnProbabilities(BatchShape shape) throws Exception {
        Random random = new Random(shape.ordinal() * 7919L + 17);
        int[] lengths = {3, 8, 8, 8, 21, 40}; // repeated lengths, so equal-length batches can mix jobs too
        RecordingModel model = new RecordingModel();
        model.sleepMillis = 2;
        SharingObserver observer = new SharingObserver();
        for (int round = 0; round < 25; round++) {
            int maxBatch = 1 + random.nextInt(6);
            int runners = 1 + random.nextInt(2);
            ChunkScheduler scheduler = new ChunkScheduler(model, maxBatch, shape, runners, Duration.ofMillis(3),
                    observer);
            int jobs = 2 + random.nextInt(7);
            List<List<Chunk>> work = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                work.add(randomJob(random, round * 100 + j + 1, lengths));
            }
            int callsBefore = model.calls.size();
            CyclicBarrier start = new CyclicBarrier(jobs);
            List<Thread> threads = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (List<Chunk> job : work) {
                Thread t = new Thread(() -> {
                    try {
                        start.await(5, TimeUnit.SECONDS);
                        scheduler.run(job);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(20_000);
                assertFalse(t.isAlive(), "a job never finished");
            }
            assertEquals(null, failure.get());
            int chunkCount = 0;
            for (List<Chunk> job : work) {
                for (Chunk c : job) {
                    c.assertOwnResult();
                    chunkCount++;
                }
            }
            List<List<int[]>> calls = model.calls.subList(callsBefore, model.calls.size());
            assertEquals(chunkCount, calls.stream().mapToInt(List::size).sum(), "every chunk ran exactly once");
            for (List<int[]> call : calls) {
                assertTrue(call.size() <= maxBatch, "batch of " + call.size() + " > " + maxBatch);
                int first = call.get(0).length;
                for (int[] c : call) {
                    assertTrue(shape == BatchShape.EQUAL_LENGTH ? c.length == first : c.length <= first,
                            "a chunk of " + c.length + " in a batch anchored on " + first);
                }
            }
            assertTrue(model.mostAtOnce.get() <= 2);
            assertEquals(0, scheduler.waitingJobs());
        }
        assertTrue(observer.shared.get() > 0, "no model call ever carried two jobs' chunks");
    }

    @Test
    void aJobAloneIsBatchedLongestFirst() {
        RecordingModel model = new RecordingModel();
        List<Chunk> job = List.of(new Chunk(new int[3]), new Chunk(new int[7]), new Chunk(new int[5]),
                new Chunk(new int[7]), new Chunk(new int[1]));
        new ChunkScheduler(model, 2, BatchShape.PADDED, 1, Duration.ofMillis(50), BatchObserver.NONE).run(job);
        assertEquals(List.of(List.of(7, 7), List.of(5, 3), List.of(1)), lengths(model.calls));
        model.calls.clear();
        new ChunkScheduler(model, 8, BatchShape.EQUAL_LENGTH, 1, Duration.ZERO, BatchObserver.NONE).run(job);
        assertEquals(List.of(List.of(7, 7), List.of(5), List.of(3), List.of(1)), lengths(model.calls));
    }

    @Test
    void theOldestJobGoesFirst() throws Exception {
        RecordingModel model = gated();
        ChunkScheduler scheduler = oneCallAtATime(model, 1, BatchShape.EQUAL_LENGTH);
        List<Thread> threads = new ArrayList<>();
        for (int job = 1; job <= 3; job++) {
            List<Chunk> chunks = List.of(new Chunk(job, job), new Chunk(job, job));
            Thread t = new Thread(() -> scheduler.run(chunks));
            threads.add(t);
            t.start();
            if (job == 1) {
                assertTrue(model.entered.await(5, TimeUnit.SECONDS)); // job 1's first chunk holds the model
            } else {
                waitFor(() -> scheduler.waitingJobs() == threads.size()); // job 1 still waits with its second chunk
            }
        }
        model.gate.countDown();
        for (Thread t : threads) {
            t.join(5_000);
        }
        List<Integer> order = model.calls.stream().map(call -> call.get(0)[0]).toList();
        assertEquals(List.of(1, 1, 2, 2, 3, 3), order);
    }

    @Test
    void workBehindYieldsToWorkAClientWaitsForOneChunkAtATime() throws Exception {
        RecordingModel model = gated();
        ChunkScheduler scheduler = oneCallAtATime(model, 4, BatchShape.EQUAL_LENGTH);
        java.util.concurrent.atomic.AtomicBoolean behind = new java.util.concurrent.atomic.AtomicBoolean(false);
        List<Chunk> filling = List.of(new Chunk(1, 1), new Chunk(1, 1), new Chunk(1, 1), new Chunk(1, 1));
        Thread fill = new Thread(() -> scheduler.run(filling, behind::get));
        fill.start();
        assertTrue(model.entered.await(5, TimeUnit.SECONDS)); // its first batch (4 chunks, a client waited then)
        behind.set(true); // ... its client gave up: the rest runs behind
        List<Chunk> waited = List.of(new Chunk(2, 2), new Chunk(2, 2), new Chunk(2, 2));
        Thread client = new Thread(() -> scheduler.run(waited));
        client.start();
        waitFor(() -> scheduler.waitingJobs() == 1);
        List<Chunk> more = List.of(new Chunk(1, 1, 1), new Chunk(1, 1, 1));
        Thread fillMore = new Thread(() -> scheduler.run(more, () -> true)); // behind from the start
        fillMore.start();
        waitFor(() -> scheduler.waitingJobs() == 2);
        model.gate.countDown();
        for (Thread t : List.of(fill, client, fillMore)) {
            t.join(5_000);
        }
        // 4 chunks of the first job, then the client's 3 in one batch, then the work behind one chunk per call.
        assertEquals(List.of(List.of(2, 2, 2, 2), List.of(2, 2, 2), List.of(3), List.of(3)), lengths(model.calls));
        assertEquals(2, model.calls.get(1).get(0)[0], "the client's chunks came first");
        for (Chunk c : waited) {
            c.assertOwnResult();
        }
        for (Chunk c : more) {
            c.assertOwnResult();
        }
    }

    @Test
    void aWithdrawnJobsChunksNeverReachTheModel() throws Exception {
        RecordingModel model = gated();
        ChunkScheduler scheduler = oneCallAtATime(model, 1, BatchShape.PADDED);
        Chunk first = new Chunk(1, 2, 3);
        Thread holder = new Thread(() -> scheduler.run(List.of(first)));
        holder.start();
        assertTrue(model.entered.await(5, TimeUnit.SECONDS));
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread leaving = new Thread(() -> {
            try {
                scheduler.run(List.of(new Chunk(7, 7), new Chunk(7, 7, 7)));
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        leaving.start();
        waitFor(() -> scheduler.waitingJobs() == 1);
        long start = System.nanoTime();
        leaving.interrupt(); // its client left
        leaving.join(5_000);
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "left at once, not after the running batch");
        assertTrue(seen.get() instanceof CompressionCancelledException, String.valueOf(seen.get()));
        assertEquals(0, scheduler.waitingJobs());
        model.gate.countDown();
        holder.join(5_000);
        first.assertOwnResult();
        assertEquals(1, model.calls.size(), "only the first job's chunk ran");
    }

    @Test
    void aFailedCallFailsOnlyTheJobsItCarried() throws Exception {
        RecordingModel model = gated();
        model.failOnId = 666;
        ChunkScheduler scheduler = oneCallAtATime(model, 4, BatchShape.EQUAL_LENGTH);
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Chunk healthy = new Chunk(5, 6);
        Thread failing = new Thread(() -> {
            try {
                scheduler.run(List.of(new Chunk(666, 1, 2), new Chunk(3, 4, 8)));
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        failing.start();
        assertTrue(model.entered.await(5, TimeUnit.SECONDS));
        Thread other = new Thread(() -> scheduler.run(List.of(healthy)));
        other.start();
        waitFor(() -> scheduler.waitingJobs() == 1);
        model.gate.countDown();
        failing.join(5_000);
        other.join(5_000);
        assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
        assertEquals("scripted model failure", seen.get().getMessage());
        healthy.assertOwnResult();
    }

    @Test
    void concurrentCompressionsGetTheResultsTheyWouldGetAlone() throws Exception {
        ToyTokenizer tok = ToyTokenizer.wordPiece();
        RecordingModel model = new RecordingModel();
        model.sleepMillis = 3;
        SharingObserver observer = new SharingObserver();
        Random random = new Random(42);
        String[] vocabulary = {"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa",
            "2024", "x-ray", "naïve", "東京", ".", ","};
        List<CompressionJob> jobs = new ArrayList<>();
        for (int j = 0; j < 12; j++) {
            StringBuilder sb = new StringBuilder();
            int words = 5 + random.nextInt(60);
            for (int w = 0; w < words; w++) {
                sb.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(9) == 0 ? "\n" : " ");
            }
            double rate = 0.3 + random.nextInt(5) / 10.0;
            jobs.add(CompressionJob.of(sb.toString(), CompressionOptions.builder().rate(rate)
                    .forceTokens(List.of("\n")).build()));
        }
        // Alone, one after the other (this also fills the toy tokenizer's vocabulary before the threads read it).
        List<CompressionResult> alone = new ArrayList<>();
        Llmlingua2Compressor sequential = new Llmlingua2Compressor(tok, model, new UnitCounter(), 4, 7);
        for (CompressionJob job : jobs) {
            alone.add(sequential.compressAll(List.of(job)).get(0));
        }
        ChunkScheduler shared = new ChunkScheduler(model, 4, BatchShape.PADDED, 1, Duration.ofMillis(5), observer);
        Llmlingua2Compressor concurrent = new Llmlingua2Compressor(tok, shared, new UnitCounter(), 7);
        CompressionResult[] together = new CompressionResult[jobs.size()];
        CyclicBarrier start = new CyclicBarrier(jobs.size());
        List<Thread> threads = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            int n = j;
            Thread t = new Thread(() -> {
                try {
                    start.await(5, TimeUnit.SECONDS);
                    together[n] = concurrent.compressAll(List.of(jobs.get(n))).get(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        for (int j = 0; j < jobs.size(); j++) {
            assertEquals(alone.get(j).compressedPrompt(), together[j].compressedPrompt(), "job " + j);
            assertEquals(alone.get(j).compressedTokens(), together[j].compressedTokens(), "job " + j);
        }
        assertTrue(observer.shared.get() > 0, "no model call carried two requests' chunks");
        assertEquals(jobs.size(), observer.waits.get(), "each job waited once for its first call");
    }

    /** A model whose first call waits for {@code gate} (opened by the test). */
    private static RecordingModel gated() {
        RecordingModel model = new RecordingModel();
        model.gate = new CountDownLatch(1);
        return model;
    }

    private static ChunkScheduler oneCallAtATime(RecordingModel model, int maxBatch, BatchShape shape) {
        return new ChunkScheduler(model, maxBatch, shape, 1, Duration.ZERO, BatchObserver.NONE);
    }

    private static List<List<Integer>> lengths(List<List<int[]>> calls) {
        return calls.stream().map(call -> call.stream().map(c -> c.length).toList()).toList();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.currentTimeMillis() + 5_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < until) {
            Thread.sleep(1);
        }
        assertTrue(condition.getAsBoolean(), "timed out waiting");
    }
}
