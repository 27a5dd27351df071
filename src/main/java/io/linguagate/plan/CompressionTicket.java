package io.linguagate.plan;

/**
 * One request's compression as the gateway and the compressor share it: the deadline the work has (so queued work
 * that cannot finish in time is not started), and what is known so far (the original token count, which a request
 * that fails open or is skipped still reports), and whether a request still waits for it: work behind (a timed-out
 * or busy-skipped request's, filling the cache) yields the model to work a client waits for.
 */
public final class CompressionTicket {

    private final long deadlineNanos;
    private volatile int originalTokens = -1;
    private volatile boolean behind;

    /** @param deadlineNanos {@link System#nanoTime()} by which the compression must be done */
    public CompressionTicket(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A ticket without a deadline worth mentioning (tests, tools). */
    public static CompressionTicket unbounded() {
        return new CompressionTicket(System.nanoTime() + Long.MAX_VALUE / 4);
    }

    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** No request waits for this work any more (or never did): it runs behind, after work a client waits for. */
    public void goBehind() {
        behind = true;
    }

    public boolean behind() {
        return behind;
    }

    void counted(int tokens) {
        originalTokens = tokens;
    }

    /** Target tokens of the texts the policy looked at, once counted; 0 before. */
    public int originalTokens() {
        return Math.max(0, originalTokens);
    }
}
