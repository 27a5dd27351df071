package io.linguagate.lingua;

import java.util.Arrays;
import java.util.Set;

/** The coarse, context-level filter: keeps whole contexts whose score clears a percentile. */
final class ContextFilter {

    private ContextFilter() {
    }

    /**
     * The context-level rate after the reference's defaulting rules: with no context-level target
     * given, {@code (rate + 1) / 2} (or, with a token target, twice that target in tokens); then
     * {@code target_context} and {@code context_level_target_token} override it.
     */
    static double effectiveRate(CompressionOptions o, int contextCount, int originTokens) {
        double rate = o.contextLevelRate();
        int levelTarget = o.contextLevelTargetToken();
        if (o.targetContext() <= 0 && rate >= 1.0 && levelTarget <= 0) {
            if (o.targetToken() < 0 && o.rate() < 1.0) {
                rate = o.useTokenLevelFilter() ? (o.rate() + 1.0) / 2 : o.rate();
            }
            if (o.targetToken() >= 0) {
                levelTarget = o.useTokenLevelFilter() ? o.targetToken() * 2 : o.targetToken();
            }
        }
        if (o.targetContext() >= 0) {
            rate = Math.min((double) o.targetContext() / contextCount, 1.0);
        }
        if (levelTarget >= 0) {
            rate = originTokens == 0 ? 1.0 : Math.min((double) levelTarget / originTokens, 1.0);
        }
        return rate;
    }

    /**
     * A context's score: the mean of its words' unforced probabilities over all its chunks
     * ({@code float} accumulation, as the reference's float32 sum). {@code NaN} for a context
     * without words.
     */
    static double score(ChunkWords[] chunks) {
        float sum = 0f;
        int n = 0;
        for (ChunkWords c : chunks) {
            for (int i = 0; i < c.count; i++) {
                sum += (float) c.rawProbs[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Keeps a context iff its score is at least {@code percentile(scores, int(100 * (1 - rate)))}
     * or its index is forced. Deliberate difference: a context without words (empty, whitespace
     * only) has no score (the reference divides by zero); it is left out of the percentile and
     * dropped unless forced.
     */
    static boolean[] keep(double[] scores, double contextLevelRate, Set<Integer> forceIds) {
        boolean[] keep = new boolean[scores.length];
        double[] valid = new double[scores.length];
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                valid[n++] = s;
            }
        }
        double threshold = n == 0 ? Double.POSITIVE_INFINITY
                : Percentile.ofInPlace(Arrays.copyOf(valid, n), Percentile.contextLevelPercent(contextLevelRate));
        for (int i = 0; i < scores.length; i++) {
            keep[i] = (!Double.isNaN(scores[i]) && scores[i] >= threshold) || forceIds.contains(i);
        }
        return keep;
    }
}
