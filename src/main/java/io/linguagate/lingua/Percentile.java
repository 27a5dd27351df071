package io.linguagate.lingua;

import java.util.Arrays;

/**
 * NumPy's default ({@code method="linear"}) percentile, reproduced operation by operation so
 * thresholds tie-break exactly as the reference's {@code np.percentile}.
 */
final class Percentile {

    private Percentile() {
    }

    /**
     * The {@code percent}-th percentile of {@code values}, which is sorted in place.
     *
     * @param percent an integer in [0, 100], as the reference always passes
     */
    static double ofInPlace(double[] values, int percent) {
        Arrays.sort(values);
        return ofSorted(values, percent);
    }

    /** Same on an ascending array. */
    static double ofSorted(double[] sorted, int percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("percentile of an empty array");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in [0, 100], got " + percent);
        }
        int n = sorted.length;
        double q = percent / 100.0;                 // np.true_divide(q, 100)
        double virtual = (n - 1) * q;               // linear: (n - 1) * quantiles
        if (virtual >= n - 1) {
            return sorted[n - 1];
        }
        int previous = (int) Math.floor(virtual);
        double gamma = virtual - previous;
        double a = sorted[previous];
        double b = sorted[previous + 1];
        double diff = b - a;
        // numpy's _lerp: a + diff*t, but b - diff*(1-t) where t >= 0.5
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /**
     * The reference's token-level percentile index {@code int(100 * reduce_rate + 1)}, evaluated in
     * double arithmetic exactly as written (rate 0.33 gives 68, rate 0.8 gives 20), capped at 100
     * (reachable only when a token target of 0 drives the rate to 0; NumPy would reject 101).
     */
    static int tokenLevelPercent(double reduceRate) {
        return Math.min(100, (int) Math.floor(100 * reduceRate + 1));
    }

    /** {@code int(100 * reduce_rate)} of drop_consecutive, capped the same way. */
    static int dropConsecutivePercent(double reduceRate) {
        return Math.min(100, (int) Math.floor(100 * reduceRate));
    }

    /** {@code int(100 * (1 - context_level_rate))} of the context filter. */
    static int contextLevelPercent(double contextLevelRate) {
        return Math.max(0, Math.min(100, (int) Math.floor(100 * (1 - contextLevelRate))));
    }
}
