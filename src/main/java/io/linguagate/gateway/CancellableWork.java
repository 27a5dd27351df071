package io.linguagate.gateway;

import io.linguagate.lingua.CompressionCancelledException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Blocking work on a worker thread that can be called off: {@link #cancel()} interrupts the thread while the work
 * runs (the compression engine stops before its next batch), and never a thread the work has already left.
 */
final class CancellableWork<T> {

    private final Promise<T> result = Promise.promise();
    private Thread worker;
    private boolean over;

    private CancellableWork() {
    }

    static <T> CancellableWork<T> start(Vertx vertx, Callable<T> work) {
        CancellableWork<T> handle = new CancellableWork<>();
        vertx.<T>executeBlocking(() -> {
            if (!handle.begin()) {
                throw new CompressionCancelledException();
            }
            try {
                return work.call();
            } finally {
                handle.end();
            }
        }, false).onComplete(handle.result);
        return handle;
    }

    Future<T> future() {
        return result.future();
    }

    /** Stops the work if it still runs (or before it starts). */
    synchronized void cancel() {
        if (!over) {
            over = true;
            if (worker != null) {
                worker.interrupt();
            }
        }
    }

    private synchronized boolean begin() {
        if (over) {
            return false;
        }
        worker = Thread.currentThread();
        return true;
    }

    private synchronized void end() {
        over = true;
        worker = null;
        Thread.interrupted(); // a cancel that came too late must not reach the pool's next task
    }
}
