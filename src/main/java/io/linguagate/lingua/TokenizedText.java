package io.linguagate.lingua;

import java.util.Objects;

/**
 * The classifier tokenizer's view of one text: parallel arrays (no object per token, so 32k-token
 * inputs stay cheap). Offsets are UTF-16 {@code char} indices into the text that was tokenized,
 * {@code [start, end)}; {@link #fromCodePointOffsets} converts tokenizers that report code points.
 *
 * @param ids    vocabulary ids, no special tokens added
 * @param pieces token strings as the vocabulary spells them ({@code ##ing}, {@code ▁Hello}, {@code [NEW0]})
 * @param starts start offset of each token
 * @param ends   end offset (exclusive) of each token
 */
public record TokenizedText(int[] ids, String[] pieces, int[] starts, int[] ends) {

    public TokenizedText {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(pieces, "pieces");
        Objects.requireNonNull(starts, "starts");
        Objects.requireNonNull(ends, "ends");
        if (pieces.length != ids.length || starts.length != ids.length || ends.length != ids.length) {
            throw new IllegalArgumentException("ids, pieces, starts and ends must have the same length");
        }
    }

    /** A text without tokens. */
    public static TokenizedText empty() {
        return new TokenizedText(new int[0], new String[0], new int[0], new int[0]);
    }

    /** Number of tokens. */
    public int size() {
        return ids.length;
    }

    /**
     * Builds a tokenized text from offsets counted in Unicode code points (what HF tokenizers
     * report), converting them to Java {@code char} indices in one pass.
     */
    public static TokenizedText fromCodePointOffsets(String text, int[] ids, String[] pieces,
            int[] codePointStarts, int[] codePointEnds) {
        int cpCount = text.codePointCount(0, text.length());
        int[] cpToChar = new int[cpCount + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); ) {
            cpToChar[cp++] = i;
            i += Character.charCount(text.codePointAt(i));
        }
        cpToChar[cpCount] = text.length();
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            starts[i] = cpToChar[Math.min(Math.max(codePointStarts[i], 0), cpCount)];
            ends[i] = cpToChar[Math.min(Math.max(codePointEnds[i], 0), cpCount)];
        }
        return new TokenizedText(ids, pieces, starts, ends);
    }
}
