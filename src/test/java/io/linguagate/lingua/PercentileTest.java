package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentileTest {

    private static double pct(int p, double... values) {
        return Percentile.ofInPlace(values.clone(), p);
    }

    @Test
    void interpolatesAtRankPTimesNMinusOne() {
        // rank 0.5 * 3 = 1.5 -> halfway between 2 and 3
        assertEquals(2.5, pct(50, 4, 1, 3, 2));
        // rank 0.51 * 3 = 1.53 -> 0.6 - (0.6 - 0.4) * 0.47
        assertEquals(0.506, pct(51, 0.9, 0.2, 0.6, 0.4), 1e-15);
    }

    @Test
    void endpointsAndSingleValue() {
        assertEquals(1.0, pct(0, 3, 1, 2));
        assertEquals(3.0, pct(100, 3, 1, 2));
        assertEquals(7.0, pct(37, 7));
    }

    @Test
    void belowHalfUsesLowerBoundFormulaBitForBit() {
        // numpy: a + (b - a) * t for t < 0.5. rank 2 * 0.15 = 0.3 between 0.06 and 0.57:
        // 0.06 + 0.51 * 0.3 = 0.213 exactly, while 0.57 - 0.51 * 0.7 would be 0.21299999999999997
        assertEquals(0.213, pct(15, 0.06, 0.57, 0.8));
    }

    @Test
    void fromHalfUpUsesUpperBoundFormulaBitForBit() {
        // numpy: b - (b - a) * (1 - t) for t >= 0.5. rank 0.65 between 0.16 and 0.38:
        // 0.38 - 0.22 * 0.35 = 0.303, while 0.16 + 0.22 * 0.65 = 0.30300000000000005
        assertEquals(0.303, pct(65, 0.16, 0.38));
        assertEquals(0.6236, pct(98, 0.37, 0.47, 0.63));
    }

    @Test
    void tiesCollapseToTheTiedValue() {
        // rank 1.53 falls between two 0.5s
        assertEquals(0.5, pct(51, 0.2, 0.5, 0.5, 0.9));
    }

    @Test
    void tokenLevelIndexIsComputedInDoubleAsWritten() {
        // int(100 * (1 - rate) + 1) evaluated in binary floating point
        assertEquals(68, Percentile.tokenLevelPercent(Math.max(0, 1 - 0.33)));
        assertEquals(51, Percentile.tokenLevelPercent(1 - 0.5));
        assertEquals(20, Percentile.tokenLevelPercent(1 - 0.8)); // not 21: 100 * 0.19999999999999996 + 1
        assertEquals(10, Percentile.tokenLevelPercent(1 - 0.9));
        assertEquals(100, Percentile.tokenLevelPercent(1 - 0.01));
        assertEquals(100, Percentile.tokenLevelPercent(1.0), "101 is capped");
        assertEquals(67, Percentile.dropConsecutivePercent(1 - 0.33));
        assertEquals(25, Percentile.contextLevelPercent(0.75));
        assertEquals(0, Percentile.contextLevelPercent(1.0));
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> pct(50));
        assertThrows(IllegalArgumentException.class, () -> pct(101, 1, 2));
    }
}
