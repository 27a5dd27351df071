package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class TokenLevelFilterTest {

    private static final ToIntFunction<String> ONE = w -> 1;

    private static boolean[] keep(double[] probs, String[] refs, double rate, ToIntFunction<String> counter,
            boolean drop, Set<String> force) {
        return TokenLevelFilter.keep(probs.length, probs, refs, Math.max(0, 1 - rate), counter, drop, force);
    }

    @Test
    void wordsWeighByTheirTargetTokenCount() {
        double[] probs = {0.9, 0.1, 0.5};
        String[] refs = {"A", "bbb", "C"};
        // expanded [.1 .1 .1 .5 .9], rank 4 * 0.51 = 2.04 -> 0.1 + 0.4 * 0.04 = 0.116
        Map<String, Integer> counts = Map.of("A", 1, "bbb", 3, "C", 1);
        assertEquals(0.116, TokenLevelFilter.threshold(3, probs, refs, 0.5, counts::get), 1e-15);
        assertArrayEquals(new boolean[] {true, false, true}, keep(probs.clone(), refs, 0.5, counts::get, false, Set.of()));
        // unweighted, [.1 .5 .9] rank 1.02 -> 0.508: only A
        assertArrayEquals(new boolean[] {true, false, false}, keep(probs.clone(), refs, 0.5, ONE, false, Set.of()));
    }

    @Test
    void aWordEqualToTheThresholdIsDropped() {
        // threshold is exactly 0.5 (rank 1.53 between the two 0.5s)
        assertArrayEquals(new boolean[] {false, false, false, true},
                keep(new double[] {0.2, 0.5, 0.5, 0.9}, new String[] {"a", "b", "c", "d"}, 0.5, ONE, false, Set.of()));
    }

    @Test
    void thresholdOfOneKeepsTheWordsAtOne() {
        // [.3 1 1], rank 1.02 -> 1.0; "> 1.0" alone would keep nothing
        assertArrayEquals(new boolean[] {true, true, false},
                keep(new double[] {1.0, 1.0, 0.3}, new String[] {"a", "b", "c"}, 0.5, ONE, false, Set.of()));
    }

    @Test
    void wordsWorthNoTokensPassThrough() {
        assertArrayEquals(new boolean[] {true, true},
                keep(new double[] {0.1, 0.2}, new String[] {"", ""}, 0.5, w -> 0, false, Set.of()));
    }

    @Test
    void dropConsecutiveZeroesRepeatedForceWords() {
        // rate 0.8: drop percentile int(19.999999999999996) = 19 over [.9 .95 1 1 1] -> 0.938;
        // the 2nd and 3rd "\n" repeat the 1st with nothing above 0.938 between -> 0.
        // token percentile 20 over [0 0 .9 .95 1] -> 0: the zeroed ones go.
        double[] probs = {0.9, 1, 1, 1, 0.95};
        String[] refs = {"a", "\n", "\n", "\n", "b"};
        assertArrayEquals(new boolean[] {true, true, false, false, true},
                keep(probs, refs, 0.8, ONE, true, Set.of("\n")));
        assertArrayEquals(new double[] {0.9, 1, 0, 0, 0.95}, probs);
    }

    @Test
    void dropConsecutiveResetsAfterAnImportantWord() {
        // drop percentile 19 over [.1 .9 1 1 1] -> 0.708; "x" (.9) sits between the 1st and 2nd "\n"
        double[] probs = {1, 0.9, 0.1, 1, 1};
        String[] refs = {"\n", "x", "y", "\n", "\n"};
        assertArrayEquals(new boolean[] {true, true, true, true, false},
                keep(probs, refs, 0.8, ONE, true, Set.of("\n")));
    }

    @Test
    void dropConsecutiveAlsoDropsAKeptRepeatOfTheLastKeptWord() {
        // rate 0.9: drop percentile 9 over [.1 .5 1 1] -> 0.208, "a" counts as between so nothing is zeroed;
        // "\n" weighs 10 tokens, so the threshold is 1.0 and only the two "\n" pass,
        // then the second repeats the last kept word and is dropped.
        Map<String, Integer> counts = Map.of("\n", 10, "low", 1, "a", 1);
        String[] refs = {"\n", "low", "a", "\n"};
        assertArrayEquals(new boolean[] {true, false, false, false},
                keep(new double[] {1, 0.1, 0.5, 1}, refs, 0.9, counts::get, true, Set.of("\n")));
        assertArrayEquals(new boolean[] {true, false, false, true},
                keep(new double[] {1, 0.1, 0.5, 1}, refs, 0.9, counts::get, false, Set.of("\n")));
    }
}
