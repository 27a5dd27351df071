package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.lingua.CompressionCancelledException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The model's admission with scripted slow work: a full queue and a hopeless deadline answer at once. */
class InferenceQueueTest {

    private static CompressionTicket in(long millis) {
        return new CompressionTicket(System.nanoTime() + millis * 1_000_000L);
    }

    private static CompressionTicket behind(long millis) {
        CompressionTicket ticket = in(millis);
        ticket.goBehind();
        return ticket;
    }

    private static String sleepy(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new CompressionCancelledException();
        }
        return "done";
    }

    @Test
    void aFullQueueAnswersBusyAtOnce() throws Exception {
        InferenceQueue queue = new InferenceQueue(1, null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> queue.run(10, in(10_000), () -> {
            running.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "first";
        }));
        first.start();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        assertThrows(InferenceQueue.BusyException.class, () -> queue.run(10, in(10_000), () -> "second"));
        assertTrue(System.nanoTime() - start < 100_000_000L, "answered at once, not after the work ahead");
        release.countDown();
        first.join(5_000);
        assertEquals(0, queue.depth());
        assertEquals("third", queue.run(10, in(10_000), () -> "third"));
    }

    @Test
    void workThatCannotFinishBeforeItsDeadlineIsNotQueued() throws Exception {
        InferenceQueue queue = new InferenceQueue(8, null);
        // Nothing measured yet: nothing predicted, the work runs (and teaches the queue ~1 ms per 10 chars).
        assertEquals("done", queue.run(1_000, in(10_000), () -> sleepy(100)));
        // 100,000 chars at that speed is ~10 s: past a 500 ms deadline, so skipped at once.
        long start = System.nanoTime();
        assertThrows(InferenceQueue.BusyException.class, () -> queue.run(100_000, in(500), () -> sleepy(10_000)));
        assertTrue(System.nanoTime() - start < 100_000_000L);
        // Small work still fits.
        assertEquals("done", queue.run(100, in(2_000), () -> sleepy(10)));
    }

    @Test
    void waitingBehindOtherWorkIsNotLearnedAsSlowness() throws Exception {
        InferenceQueue queue = new InferenceQueue(8, null);
        Object model = new Object(); // the scheduler's job, played here: one work at a time
        Supplier<Object> serve = () -> {
            synchronized (model) {
                return sleepy(200);
            }
        };
        queue.run(1_000, in(10_000), serve); // alone: 0.2 ms per char
        // Two more admitted together: the second waits 200 ms for the first, then takes 200 ms itself.
        Thread first = new Thread(() -> queue.run(1_000, in(10_000), serve));
        first.start();
        Thread.sleep(20);
        queue.run(1_000, in(10_000), serve);
        first.join(5_000);
        double msPerThousand = queue.nanosPerChar() / 1_000;
        // Counting its wait would have learned 0.4 for the last one (0.26 smoothed).
        assertTrue(msPerThousand > 190 && msPerThousand < 240, msPerThousand + " ms per 1,000 chars");
    }

    @Test
    void cancelledWorkLeavesTheQueue() {
        InferenceQueue queue = new InferenceQueue(8, null);
        assertThrows(CompressionCancelledException.class, () -> queue.run(1, in(10_000), () -> {
            throw new CompressionCancelledException();
        }));
        assertEquals(0, queue.depth());
    }

    @Test
    void workBehindDoesNotCountAheadOfWorkAClientWaitsFor() throws Exception {
        InferenceQueue queue = new InferenceQueue(8, null);
        assertEquals("done", queue.run(1_000, in(10_000), () -> sleepy(100))); // ~0.1 ms per char
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread filling = new Thread(() -> queue.run(50_000, behind(30_000), () -> { // ~5 s of work behind
            running.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        filling.start();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        // A client's 1,000 chars (~0.1 s) fit a 1 s deadline: the work behind yields to it.
        assertEquals("mine", queue.run(1_000, in(1_000), () -> "mine"));
        // More work behind is predicted behind everything admitted: it would not finish within 2 s.
        assertThrows(InferenceQueue.BusyException.class, () -> queue.run(1_000, behind(2_000), () -> "late"));
        release.countDown();
        filling.join(5_000);
        assertEquals(0, queue.depth());
    }
}
