package io.linguagate.lingua;

/** What the {@link ChunkScheduler} reports for metrics. */
public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {
    };

    /** A job's chunks waited {@code nanos} for their first model call. */
    default void waited(long nanos) {
    }

    /** One model call: {@code chunks} chunks from {@code jobs} concurrent jobs, {@code tokens} tokens with padding. */
    default void ran(int chunks, int jobs, long tokens, long nanos) {
    }
}
