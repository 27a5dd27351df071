package io.linguagate.lingua;

import java.util.Arrays;
import java.util.Set;

/**
 * Merges a chunk's tokens into words and derives word probabilities (steps 6 and 7).
 *
 * <p>A word opens at a word-start token (family rule); later tokens append their pure text and
 * probability. At a word start, a force token or placeholder gets probability 1.0; with
 * {@code force_reserve_digit}, any token containing a decimal digit ({@code \d}) does too.
 * Special tokens are skipped; placeholders are words.
 *
 * <p>Deliberate differences from the reference:
 * <ul>
 *   <li>A chunk may begin with a continuation token (chunks are cut on token indexes, never
 *       re-tokenized); it opens a word instead of failing.</li>
 *   <li>The unforced probability of a continuation token is its own probability. The reference
 *       reads a stale variable there (the word's first token), which makes the context score's
 *       "mean" silently a "first"; we follow the evident intent.</li>
 * </ul>
 * The mean is accumulated in {@code float}, as the reference's float32 scalars are.
 */
final class WordMerger {

    private final TokenizerFamily family;
    private final ClassifierTokenizer tokenizer;
    private final ForceTokens force;
    private final boolean reserveDigit;
    private final TokenToWord mode;

    WordMerger(ClassifierTokenizer tokenizer, ForceTokens force, boolean reserveDigit, TokenToWord mode) {
        this.family = tokenizer.family();
        this.tokenizer = tokenizer;
        this.force = force;
        this.reserveDigit = reserveDigit;
        this.mode = mode;
    }

    /**
     * Merges tokens {@code [from, to)} of {@code tokens} (offsets into {@code source}).
     *
     * @param probs keep probability per token of the range, or {@code null} when no model ran (probabilities NaN)
     */
    ChunkWords merge(String source, TokenizedText tokens, int from, int to, float[] probs) {
        int max = to - from;
        if (max <= 0) {
            return ChunkWords.EMPTY;
        }
        int[] starts = new int[max];
        int[] ends = new int[max];
        double[] wordProbs = new double[max];
        double[] rawProbs = new double[max];
        String[] refTexts = new String[max];
        Set<String> forceSet = force.forceSet();
        int[] ids = tokens.ids();
        String[] pieces = tokens.pieces();
        int[] tokStarts = tokens.starts();
        int[] tokEnds = tokens.ends();

        int count = 0;
        boolean open = false;
        StringBuilder text = new StringBuilder(16);
        float sum = 0f;
        float rawSum = 0f;
        float first = 0f;
        float rawFirst = 0f;
        int n = 0;
        int wordStart = 0;
        int wordEnd = 0;

        for (int t = from; t < to; t++) {
            int id = ids[t];
            int slot = force.placeholderSlot(id);
            boolean placeholder = slot >= 0;
            if (!placeholder && tokenizer.isSpecial(id)) {
                continue;
            }
            String piece = pieces[t];
            float p = probs == null ? Float.NaN : probs[t - from];
            boolean wordStartToken = family.isWordStart(piece, placeholder, forceSet);
            if (wordStartToken || !open) {
                if (open) {
                    count = emit(source, count, starts, ends, wordProbs, rawProbs, refTexts, text, sum, rawSum,
                            first, rawFirst, n, wordStart, wordEnd);
                }
                String wordText = placeholder ? force.forceOfSlot(slot) : wordStartToken ? piece : family.pure(piece);
                float used = p;
                if (wordStartToken && (placeholder || isForcePure(piece, forceSet))) {
                    used = 1f;
                }
                if (reserveDigit && containsDigit(wordText)) {
                    used = 1f;
                }
                open = true;
                text.setLength(0);
                text.append(wordText);
                sum = used;
                rawSum = p;
                first = used;
                rawFirst = p;
                n = 1;
                wordStart = tokStarts[t];
                wordEnd = tokEnds[t];
            } else {
                text.append(piece, family.markLength(piece), piece.length());
                float used = reserveDigit && containsDigit(piece) ? 1f : p;
                sum += used;
                rawSum += p;
                n++;
                wordEnd = Math.max(wordEnd, tokEnds[t]);
            }
        }
        if (open) {
            count = emit(source, count, starts, ends, wordProbs, rawProbs, refTexts, text, sum, rawSum, first,
                    rawFirst, n, wordStart, wordEnd);
        }
        if (count == 0) {
            return ChunkWords.EMPTY;
        }
        return new ChunkWords(count, trim(starts, count), trim(ends, count), Arrays.copyOf(wordProbs, count),
                Arrays.copyOf(rawProbs, count), Arrays.copyOf(refTexts, count));
    }

    private int emit(String source, int k, int[] starts, int[] ends, double[] wordProbs, double[] rawProbs,
            String[] refTexts, StringBuilder text, float sum, float rawSum, float first, float rawFirst, int n,
            int start, int end) {
        int s = Math.max(0, Math.min(start, source.length()));
        int e = Math.max(s, Math.min(end, source.length()));
        int ts = s;
        int te = e;
        while (ts < te && TextRebuilder.isSpace(source.charAt(ts))) {
            ts++;
        }
        while (te > ts && TextRebuilder.isSpace(source.charAt(te - 1))) {
            te--;
        }
        if (ts < te) { // all-whitespace words (a forced "\n") keep their whitespace
            s = ts;
            e = te;
        }
        starts[k] = s;
        ends[k] = e;
        wordProbs[k] = mode == TokenToWord.MEAN ? sum / n : first;
        rawProbs[k] = mode == TokenToWord.MEAN ? rawSum / n : rawFirst;
        refTexts[k] = text.toString();
        return k + 1;
    }

    /** Whether the piece without its markers is a force token; avoids a substring for the usual 0 or 1 marker. */
    private boolean isForcePure(String piece, Set<String> forceSet) {
        if (forceSet.isEmpty()) {
            return false;
        }
        int marks = family.markLength(piece);
        return switch (marks) {
            case 0 -> forceSet.contains(piece);
            case 1 -> force.markedForceSet().contains(piece);
            default -> forceSet.contains(piece.substring(marks));
        };
    }

    private static int[] trim(int[] a, int count) {
        return a.length == count ? a : Arrays.copyOf(a, count);
    }

    /** Python's {@code re.search(r"\d", s)}: any Unicode decimal digit. */
    static boolean containsDigit(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isDigit(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }
}
