package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.lingua.CompressionCancelledException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The model's queue with scripted slow work: a full queue and a hopeless deadline answer at once, FIFO otherwise. */
class InferenceQueueTest {

    private static long in(long millis) {
        return System.nanoTime() + millis * 1_000_000L;
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
        InferenceQueue queue = new InferenceQueue(1, 1, null);
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
        InferenceQueue queue = new InferenceQueue(8, 1, null);
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
    void workRunsOneAtATimeInArrivalOrder() throws Exception {
        InferenceQueue queue = new InferenceQueue(8, 1, null);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            Thread t = new Thread(() -> queue.run(1, in(10_000), () -> {
                order.add(n);
                sleepy(100); // long enough for all four to be queued behind it
                order.add(n);
                return null;
            }));
            threads.add(t);
            t.start();
            // Arrival order: the next one comes once this one is in the queue (admitted, then waiting its turn).
            long until = System.currentTimeMillis() + 5_000;
            while (queue.depth() < i + 1 && System.currentTimeMillis() < until) {
                Thread.sleep(1);
            }
            Thread.sleep(20);
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
        assertEquals(List.of(0, 0, 1, 1, 2, 2, 3, 3), order, "never two at once, first come first served");
    }

    @Test
    void anInterruptedWaiterLeavesTheQueue() throws Exception {
        InferenceQueue queue = new InferenceQueue(8, 1, null);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> queue.run(1, in(10_000), () -> {
            running.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        first.start();
        assertTrue(running.await(5, TimeUnit.SECONDS));
        List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());
        Thread waiter = new Thread(() -> {
            try {
                queue.run(1, in(10_000), () -> "never");
            } catch (RuntimeException e) {
                seen.add(e);
            }
        });
        waiter.start();
        Thread.sleep(50);
        assertEquals(2, queue.depth());
        waiter.interrupt(); // the client left
        waiter.join(5_000);
        assertTrue(seen.get(0) instanceof CompressionCancelledException, seen.toString());
        assertEquals(1, queue.depth());
        release.countDown();
        first.join(5_000);
        assertEquals(0, queue.depth());
    }
}
