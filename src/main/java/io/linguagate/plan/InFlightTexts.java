package io.linguagate.plan;

import io.linguagate.lingua.CompressionCancelledException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Texts being compressed right now, by cache key: a request whose text another request is already compressing
 * waits for that result instead of queueing the same work again (one prompt sent five times is one job).
 */
final class InFlightTexts {

    private final ConcurrentHashMap<String, CompletableFuture<String>> running = new ConcurrentHashMap<>();

    /**
     * Claims {@code key} for {@code mine}.
     *
     * @return {@code null} when the caller now owns the work (it must {@link #finish} or {@link #abandon} it), else
     *     the owner's future result
     */
    CompletableFuture<String> claim(String key, CompletableFuture<String> mine) {
        return running.putIfAbsent(key, mine);
    }

    /** The owner's result: waiters get it, and the key is free again (the cache answers from now on). */
    void finish(String key, CompletableFuture<String> mine, String output) {
        mine.complete(output);
        running.remove(key, mine);
    }

    /** The owner gave up (busy, cancelled, failed): waiters get nothing. A no-op once finished. */
    void abandon(String key, CompletableFuture<String> mine) {
        mine.completeExceptionally(new CompressionCancelledException());
        running.remove(key, mine);
    }

    /** Claims held right now (for tests and metrics). */
    int size() {
        return running.size();
    }

    /**
     * The owner's result; {@code null} when the owner gave up (the caller then leaves the text as it was). No
     * deadline of its own: the request's timeout interrupts the wait like any other compression work.
     *
     * @throws CompressionCancelledException when the waiting thread is interrupted (nobody waits for this request)
     */
    static String await(CompletableFuture<String> owner) {
        try {
            return owner.get();
        } catch (InterruptedException e) {
            throw new CompressionCancelledException();
        } catch (ExecutionException e) {
            return null;
        }
    }
}
