package io.linguagate.lingua;

/**
 * The words of one chunk after the token-to-word merge, as parallel arrays.
 *
 * <ul>
 *   <li>{@code starts/ends}: the word's span in the original context, whitespace trimmed (a word
 *       that is only whitespace, such as a forced "\n", keeps it);</li>
 *   <li>{@code probs}: the word probability with force tokens and digits at 1.0;</li>
 *   <li>{@code rawProbs}: the same from the model's own probabilities (context-level score);</li>
 *   <li>{@code refTexts}: the word as the reference spells it (XLM-R keeps its {@code ▁},
 *       placeholders read as their force string): what the target-LLM counter weighs and what
 *       force tokens are compared with.</li>
 * </ul>
 */
final class ChunkWords {

    static final ChunkWords EMPTY = new ChunkWords(0, new int[0], new int[0], new double[0], new double[0], new String[0]);

    final int count;
    final int[] starts;
    final int[] ends;
    final double[] probs;
    final double[] rawProbs;
    final String[] refTexts;

    ChunkWords(int count, int[] starts, int[] ends, double[] probs, double[] rawProbs, String[] refTexts) {
        this.count = count;
        this.starts = starts;
        this.ends = ends;
        this.probs = probs;
        this.rawProbs = rawProbs;
        this.refTexts = refTexts;
    }
}
