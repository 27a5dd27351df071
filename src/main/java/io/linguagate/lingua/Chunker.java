package io.linguagate.lingua;

import java.util.Arrays;

/**
 * Splits a context's tokens into model-sized chunks, preferring to end a chunk at a chunk-end
 * token (".", "\n", ...). Works on token indexes only: tokens are never re-tokenized, dropped
 * or duplicated, so the chunks always partition the context.
 */
final class Chunker {

    private Chunker() {
    }

    /**
     * Chunk boundaries: chunk {@code k} is {@code [bounds[k], bounds[k+1])}.
     *
     * <p>The reference's walk: from {@code st}, if at most {@code window} tokens remain they are
     * the last chunk; otherwise walk back from the end of the window to the nearest chunk-end token
     * (never to {@code st} itself) and end the chunk there, inclusive. Deliberate difference: the
     * reference's window is {@code window + 1} tokens at its end (it probes index
     * {@code st + 510}, and takes 511 tokens when no end token is found), which cannot fit
     * {@code [CLS] chunk [SEP]} in 512 positions, so it silently loses SEP or tokens. Here the walk
     * starts at {@code st + window - 1}, so a chunk never exceeds {@code window} tokens.
     *
     * @param isChunkEnd whether each token may end a chunk
     * @param window     maximum tokens per chunk (510 = 512 minus CLS and SEP)
     */
    static int[] boundaries(boolean[] isChunkEnd, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be positive");
        }
        int n = isChunkEnd.length;
        int[] bounds = new int[Math.max(4, 2 * (n / window) + 2)];
        int count = 0;
        bounds[count++] = 0;
        int st = 0;
        while (st < n) {
            int ed;
            if (n - st <= window) {
                ed = n - 1;
            } else {
                ed = st + window - 1;
                for (int i = st + window - 1; i > st; i--) {
                    if (isChunkEnd[i]) {
                        ed = i;
                        break;
                    }
                }
            }
            if (count == bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[count++] = ed + 1;
            st = ed + 1;
        }
        return Arrays.copyOf(bounds, count);
    }
}
