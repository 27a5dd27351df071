package io.linguagate.lingua;

import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The word-level keep decision of one chunk (steps 8 and 9). The rate is enforced per chunk, not
 * globally, as in the reference.
 */
final class TokenLevelFilter {

    private TokenLevelFilter() {
    }

    /**
     * Decides which words of a chunk are kept.
     *
     * @param probs           word probabilities; modified in place by drop_consecutive (a dropped repeat gets 0)
     * @param refTexts        the words as the reference spells them
     * @param reduceRate      {@code max(0, 1 - rate)}, strictly positive here
     * @param tokenCounter    target-LLM token count of a word
     * @param dropConsecutive drop a force word that repeats the previous force word with nothing important between
     * @param forceSet        the force strings
     * @return keep flag per word
     */
    static boolean[] keep(int count, double[] probs, String[] refTexts, double reduceRate,
            ToIntFunction<String> tokenCounter, boolean dropConsecutive, Set<String> forceSet) {
        boolean[] keep = new boolean[count];
        if (count == 0) {
            return keep;
        }
        if (dropConsecutive) {
            zeroRepeatedForceWords(count, probs, refTexts, reduceRate, forceSet);
        }
        double threshold = threshold(count, probs, refTexts, reduceRate, tokenCounter);
        String lastKept = null;
        for (int i = 0; i < count; i++) {
            double p = probs[i];
            boolean k = p > threshold || (threshold == 1.0 && p == 1.0);
            if (k && dropConsecutive && lastKept != null && lastKept.equals(refTexts[i])
                    && forceSet.contains(refTexts[i])) {
                k = false;
            }
            if (k) {
                lastKept = refTexts[i];
            }
            keep[i] = k;
        }
        return keep;
    }

    /**
     * The chunk threshold: each word's probability repeated once per target-LLM token of the word,
     * then the percentile {@code int(100 * reduce_rate + 1)}. Words worth no tokens weigh nothing;
     * if no word is worth a token there is nothing to trade and every word passes.
     */
    static double threshold(int count, double[] probs, String[] refTexts, double reduceRate,
            ToIntFunction<String> tokenCounter) {
        int[] weights = new int[count];
        int total = 0;
        for (int i = 0; i < count; i++) {
            weights[i] = Math.max(0, tokenCounter.applyAsInt(refTexts[i]));
            total += weights[i];
        }
        if (total == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double[] expanded = new double[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < weights[i]; r++) {
                expanded[at++] = probs[i];
            }
        }
        return Percentile.ofInPlace(expanded, Percentile.tokenLevelPercent(reduceRate));
    }

    /**
     * drop_consecutive, first pass: walking the chunk, a force word equal to the previous force
     * word gets probability 0 unless some non-force word above {@code percentile(probs,
     * int(100 * reduce_rate))} came between them.
     */
    static void zeroRepeatedForceWords(int count, double[] probs, String[] refTexts, double reduceRate,
            Set<String> forceSet) {
        double[] sorted = java.util.Arrays.copyOf(probs, count);
        double t = Percentile.ofInPlace(sorted, Percentile.dropConsecutivePercent(reduceRate));
        boolean importantBetween = false;
        String previous = null;
        for (int i = 0; i < count; i++) {
            String w = refTexts[i];
            if (forceSet.contains(w)) {
                if (importantBetween) {
                    importantBetween = false;
                } else if (w.equals(previous)) {
                    probs[i] = 0.0;
                }
                previous = w;
            } else if (probs[i] > t) {
                importantBetween = true;
            }
        }
    }
}
