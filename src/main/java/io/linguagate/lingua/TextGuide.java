package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the parts of one text are treated, besides the job's own rate, while the whole text is still classified in
 * one model pass (a bidirectional classifier judges every word with its full context):
 *
 * <ul>
 *   <li><b>forced spans</b>: every word overlapping one is kept, scored 1.0 in its chunk's percentile (exactly how
 *       the reference counts force tokens: they use up the kept budget), and the span is copied verbatim, including
 *       any characters no token covers;</li>
 *   <li><b>rate regions</b>: the words starting inside one are thresholded among themselves at the region's rate
 *       (an {@code <llmlingua, rate=…>} segment); a region at rate 1 (a {@code compress=False} segment, a question's
 *       final sentence) is also forced, but being its own region it does not use up its neighbours' budget.</li>
 * </ul>
 * Offsets are char indexes {@code [start, end)} of the text. Forced spans may be given in any order and overlap
 * (they are merged); regions must be disjoint. Immutable.
 */
public final class TextGuide {

    /** No forced spans, no regions: the reference's behaviour. */
    public static final TextGuide NONE = new TextGuide(new int[0], new int[0], new double[0]);

    /** Merged forced spans as start/end pairs, ascending, disjoint and not touching. */
    private final int[] forced;
    /** Regions as start/end pairs, ascending, disjoint. */
    private final int[] regions;
    private final double[] rates;

    private TextGuide(int[] forced, int[] regions, double[] rates) {
        this.forced = forced;
        this.regions = regions;
        this.rates = rates;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether this guide changes nothing. */
    public boolean isEmpty() {
        return forced.length == 0 && regions.length == 0;
    }

    /** Number of merged forced spans. */
    int forcedCount() {
        return forced.length / 2;
    }

    int forcedStart(int span) {
        return forced[2 * span];
    }

    int forcedEnd(int span) {
        return forced[2 * span + 1];
    }

    /** The largest offset any range of this guide reaches (0 when empty). */
    int maxOffset() {
        int max = forced.length == 0 ? 0 : forced[forced.length - 1];
        return regions.length == 0 ? max : Math.max(max, regions[regions.length - 1]);
    }

    /** Whether {@code [start, end)} overlaps a forced span (an empty range: whether a span contains {@code start}). */
    boolean overlapsForced(int start, int end) {
        int k = lastStartingAtOrBefore(forced, Math.max(start, end - 1));
        return k >= 0 && forced[2 * k + 1] > start;
    }

    /** The region containing {@code offset}, or -1 (the job's rate applies). */
    int regionOf(int offset) {
        int k = lastStartingAtOrBefore(regions, offset);
        return k >= 0 && offset < regions[2 * k + 1] ? k : -1;
    }

    double regionRate(int region) {
        return rates[region];
    }

    int regionCount() {
        return rates.length;
    }

    /** Whether some region asks for less than everything. */
    boolean hasReducingRegion() {
        for (double r : rates) {
            if (r < 1.0) {
                return true;
            }
        }
        return false;
    }

    /** Index of the last pair whose start is at or before {@code offset}, or -1. */
    private static int lastStartingAtOrBefore(int[] pairs, int offset) {
        int lo = 0;
        int hi = pairs.length / 2 - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (pairs[2 * mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Collects ranges; {@link #build} sorts, merges and checks them. */
    public static final class Builder {
        private final List<int[]> forced = new ArrayList<>();
        private final List<double[]> regions = new ArrayList<>();

        private Builder() {
        }

        /** Keeps {@code [start, end)} verbatim; empty ranges are ignored. */
        public Builder force(int start, int end) {
            check(start, end);
            if (start < end) {
                forced.add(new int[] {start, end});
            }
            return this;
        }

        /** Thresholds the words starting in {@code [start, end)} at {@code rate}; rate 1 also forces the range. */
        public Builder region(int start, int end, double rate) {
            check(start, end);
            if (!(rate > 0.0 && rate <= 1.0)) {
                throw new IllegalArgumentException("rate must be in (0, 1], got " + rate);
            }
            if (rate >= 1.0) {
                force(start, end);
            }
            if (start < end) {
                regions.add(new double[] {start, end, rate});
            }
            return this;
        }

        public TextGuide build() {
            forced.sort((a, b) -> Integer.compare(a[0], b[0]));
            int[] f = new int[forced.size() * 2];
            int n = 0;
            for (int[] span : forced) {
                if (n > 0 && span[0] <= f[n - 1]) {
                    f[n - 1] = Math.max(f[n - 1], span[1]); // overlapping or touching: one span
                } else {
                    f[n++] = span[0];
                    f[n++] = span[1];
                }
            }
            regions.sort((a, b) -> Double.compare(a[0], b[0]));
            int[] r = new int[regions.size() * 2];
            double[] rates = new double[regions.size()];
            for (int i = 0; i < regions.size(); i++) {
                double[] region = regions.get(i);
                r[2 * i] = (int) region[0];
                r[2 * i + 1] = (int) region[1];
                rates[i] = region[2];
                if (i > 0 && r[2 * i] < r[2 * i - 1]) {
                    throw new IllegalArgumentException("rate regions overlap at " + r[2 * i]);
                }
            }
            return n == 0 && rates.length == 0 ? NONE : new TextGuide(Arrays.copyOf(f, n), r, rates);
        }

        private static void check(int start, int end) {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
            }
        }
    }
}
