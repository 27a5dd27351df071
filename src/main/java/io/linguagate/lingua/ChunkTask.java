package io.linguagate.lingua;

import java.util.Arrays;

/** One chunk waiting for the model; on its probabilities it merges its words into its context. */
final class ChunkTask implements ModelChunk {

    private final PreparedContext context;
    private final int chunk;
    private final WordMerger merger;

    ChunkTask(PreparedContext context, int chunk, WordMerger merger) {
        this.context = context;
        this.chunk = chunk;
        this.merger = merger;
    }

    int from() {
        return context.bounds[chunk];
    }

    int to() {
        return context.bounds[chunk + 1];
    }

    @Override
    public int length() {
        return to() - from();
    }

    @Override
    public int[] ids() {
        return Arrays.copyOfRange(context.tokens.ids(), from(), to());
    }

    @Override
    public void accept(float[] probs) {
        context.chunks[chunk] = merger.merge(context.original, context.tokens, from(), to(), probs);
    }
}
