package io.linguagate.lingua;

/**
 * One context ready for the model: its tokens (offsets in the original text), its chunk bounds,
 * and, once the model has run, its words per chunk.
 */
final class PreparedContext {

    final String original;
    final TokenizedText tokens;
    /** Chunk {@code k} is tokens {@code [bounds[k], bounds[k+1])}. */
    final int[] bounds;
    final ChunkWords[] chunks;

    private PreparedContext(String original, TokenizedText tokens, int[] bounds) {
        this.original = original;
        this.tokens = tokens;
        this.bounds = bounds;
        this.chunks = new ChunkWords[bounds.length - 1];
        java.util.Arrays.fill(chunks, ChunkWords.EMPTY);
    }

    int chunkCount() {
        return chunks.length;
    }

    /**
     * Substitutes placeholders, tokenizes, maps offsets back to the original and chunks.
     *
     * @param window maximum tokens per chunk; {@code Integer.MAX_VALUE} for one chunk (no model run)
     */
    static PreparedContext prepare(String original, ForceTokens force, ClassifierTokenizer tokenizer, int window) {
        PlaceholderText substituted = PlaceholderText.substitute(original, force.placeholderByForce());
        TokenizedText raw = tokenizer.tokenize(substituted.text());
        checkOffsets(raw, substituted.text().length());
        TokenizedText tokens = substituted.toOriginalOffsets(raw);
        int n = tokens.size();
        int[] bounds;
        if (window == Integer.MAX_VALUE) {
            bounds = n == 0 ? new int[] {0} : new int[] {0, n};
        } else {
            boolean[] isEnd = new boolean[n];
            int[] ids = tokens.ids();
            String[] pieces = tokens.pieces();
            for (int i = 0; i < n; i++) {
                isEnd[i] = force.isChunkEnd(ids[i], pieces[i]);
            }
            bounds = Chunker.boundaries(isEnd, window);
        }
        return new PreparedContext(original, tokens, bounds);
    }

    private static void checkOffsets(TokenizedText t, int length) {
        for (int i = 0; i < t.size(); i++) {
            int s = t.starts()[i];
            int e = t.ends()[i];
            if (s < 0 || e < s || e > length) {
                throw new IllegalStateException("tokenizer returned offsets [" + s + ", " + e + ") for token " + i
                        + " of a text of length " + length);
            }
        }
    }
}
