package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ContextFilterTest {

    private static CompressionOptions.Builder opts() {
        return CompressionOptions.builder().useContextLevelFilter(true);
    }

    @Test
    void defaultsToHalfwayBetweenRateAndOne() {
        assertEquals(0.75, ContextFilter.effectiveRate(opts().rate(0.5).build(), 4, 100));
        assertEquals(0.5, ContextFilter.effectiveRate(opts().rate(0.5).useTokenLevelFilter(false).build(), 4, 100));
        assertEquals(1.0, ContextFilter.effectiveRate(opts().rate(1.0).build(), 4, 100));
    }

    @Test
    void aTokenTargetDefaultsToTwiceItAtContextLevel() {
        // 2 * 10 tokens of 40
        assertEquals(0.5, ContextFilter.effectiveRate(opts().rate(0.3).targetToken(10).build(), 4, 40));
        assertEquals(0.25, ContextFilter.effectiveRate(opts().targetToken(10).useTokenLevelFilter(false).build(), 4, 40));
        assertEquals(1.0, ContextFilter.effectiveRate(opts().targetToken(100).build(), 4, 40));
        assertEquals(1.0, ContextFilter.effectiveRate(opts().targetToken(10).build(), 2, 0), "no division by zero");
    }

    @Test
    void explicitContextLevelSettingsWin() {
        assertEquals(0.3, ContextFilter.effectiveRate(opts().contextLevelRate(0.3).build(), 4, 100));
        assertEquals(0.25, ContextFilter.effectiveRate(opts().targetContext(1).build(), 4, 100));
        assertEquals(0.5, ContextFilter.effectiveRate(opts().contextLevelTargetToken(30).build(), 4, 60));
        // target_context 0 counts as "not given" for the defaulting, then still applies: 0 / 4
        assertEquals(0.0, ContextFilter.effectiveRate(opts().targetContext(0).build(), 4, 100));
    }

    @Test
    void keepsContextsAtOrAboveThePercentile() {
        // scores [.2 .8 .5], percentile int(100 * 0.5) = 50 -> 0.5 (kept: >=)
        double[] scores = {0.2, 0.8, 0.5, Double.NaN};
        assertArrayEquals(new boolean[] {false, true, true, false}, ContextFilter.keep(scores, 0.5, Set.of()));
        assertArrayEquals(new boolean[] {true, true, true, true}, ContextFilter.keep(scores, 0.5, Set.of(0, 3)));
        // rate 0.75 -> percentile 25 -> 0.35
        assertArrayEquals(new boolean[] {false, true, true, false}, ContextFilter.keep(scores, 0.75, Set.of()));
        // rate 1 -> percentile 0 -> everything with a score
        assertArrayEquals(new boolean[] {true, true, true, false}, ContextFilter.keep(scores, 1.0, Set.of()));
        assertArrayEquals(new boolean[] {false, false}, ContextFilter.keep(new double[] {Double.NaN, Double.NaN}, 0.5, Set.of()));
    }

    @Test
    void scoreIsTheMeanUnforcedWordProbabilityOverAllChunks() {
        ChunkWords a = new ChunkWords(2, new int[2], new int[2], new double[] {1, 1}, new double[] {0.25, 0.5}, new String[2]);
        ChunkWords b = new ChunkWords(1, new int[1], new int[1], new double[] {1}, new double[] {0.75}, new String[1]);
        assertEquals(0.5, ContextFilter.score(new ChunkWords[] {a, b}));
        assertEquals(Double.NaN, ContextFilter.score(new ChunkWords[] {ChunkWords.EMPTY}));
    }
}
