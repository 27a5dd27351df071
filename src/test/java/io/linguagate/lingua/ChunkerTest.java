package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static boolean[] endsAt(int n, int... indexes) {
        boolean[] ends = new boolean[n];
        for (int i : indexes) {
            ends[i] = true;
        }
        return ends;
    }

    @Test
    void exactly510TokensIsOneChunk() {
        assertArrayEquals(new int[] {0, 510}, Chunker.boundaries(endsAt(510), 510));
    }

    @Test
    void tokens511WithoutEndTokenSplit510Plus1() {
        assertArrayEquals(new int[] {0, 510, 511}, Chunker.boundaries(endsAt(511), 510));
    }

    @Test
    void endTokenAtIndex510IsBeyondTheWindow() {
        // the reference would take 511 tokens here; a chunk never exceeds 510
        assertArrayEquals(new int[] {0, 510, 511}, Chunker.boundaries(endsAt(511, 510), 510));
    }

    @Test
    void walksBackToTheLastEndTokenInTheWindow() {
        assertArrayEquals(new int[] {0, 301, 511}, Chunker.boundaries(endsAt(511, 100, 300), 510));
        assertArrayEquals(new int[] {0, 510, 511}, Chunker.boundaries(endsAt(511, 509), 510));
    }

    @Test
    void endTokenAtChunkStartDoesNotCount() {
        // index st is never probed, so a chunk is never a lone end token
        assertArrayEquals(new int[] {0, 510, 700}, Chunker.boundaries(endsAt(700, 0), 510));
        // last end token in [1, 509] is 2 -> chunk [0, 3); then no end in [4, 512] -> [3, 513)
        assertArrayEquals(new int[] {0, 3, 513, 700}, Chunker.boundaries(endsAt(700, 1, 2), 510));
    }

    @Test
    void noEndTokenGivesFullWindows() {
        assertArrayEquals(new int[] {0, 510, 1020, 1200}, Chunker.boundaries(endsAt(1200), 510));
    }

    @Test
    void smallWindows() {
        // window 4: [a b . c] d e f -> walk back from index 3 finds "." at 2
        assertArrayEquals(new int[] {0, 3, 7}, Chunker.boundaries(endsAt(7, 2), 4));
        assertArrayEquals(new int[] {0}, Chunker.boundaries(new boolean[0], 4));
    }

    @Test
    void chunksAlwaysPartitionTheTokens() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(3000);
            boolean[] ends = new boolean[n];
            for (int i = 0; i < n; i++) {
                ends[i] = random.nextInt(40) == 0;
            }
            int[] b = Chunker.boundaries(ends, 510);
            assertEquals(0, b[0]);
            assertEquals(n, b[b.length - 1]);
            for (int k = 1; k < b.length; k++) {
                int len = b[k] - b[k - 1];
                assertEquals(true, len >= 1 && len <= 510, "chunk length " + len);
            }
        }
    }
}
