package io.linguagate.lingua;

/** One chunk waiting for the model, as the {@link ChunkScheduler} sees it. */
interface ModelChunk {

    /** Its tokens, without CLS/SEP. */
    int length();

    /** The model input: its token ids, without CLS/SEP. */
    int[] ids();

    /** Takes the chunk's keep probabilities (one per token); runs on whichever thread ran the batch. */
    void accept(float[] probs);
}
