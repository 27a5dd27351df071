package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextRebuilderTest {

    /** Rebuilds {@code source} whose words are found in order; {@code keep} is a string of 1/0. */
    private static String rebuild(String source, String keep, String... words) {
        int[] starts = new int[words.length];
        int[] ends = new int[words.length];
        int at = 0;
        for (int i = 0; i < words.length; i++) {
            starts[i] = source.indexOf(words[i], at);
            ends[i] = starts[i] + words[i].length();
            at = ends[i];
        }
        boolean[] k = new boolean[words.length];
        for (int i = 0; i < words.length; i++) {
            k[i] = keep.charAt(i) == '1';
        }
        return TextRebuilder.rebuild(source, words.length, starts, ends, k);
    }

    @Test
    void consecutiveKeptWordsAreVerbatim() {
        assertEquals("a\n\n  b\tc.", rebuild("a\n\n  b\tc.", "1111", "a", "b", "c", "."));
    }

    @Test
    void droppedWordLeavesTheSpaceBeforeTheNextKeptWord() {
        assertEquals("Hello world.", rebuild("Hello big world.", "1011", "Hello", "big", "world", "."));
        assertEquals("a\n\nc", rebuild("a b\n\nc", "101", "a", "b", "c"));
    }

    @Test
    void punctuationAttachesWhenItsWordIsDropped() {
        assertEquals("Hello big.", rebuild("Hello big world.", "1101", "Hello", "big", "world", "."));
    }

    @Test
    void cjkGetsNoInventedSpaces() {
        assertEquals("日語", rebuild("日本語", "101", "日", "本", "語"));
        assertEquals("日本語", rebuild("日本語", "111", "日", "本", "語"));
    }

    @Test
    void attachedWordStillGetsTheStretchsSpace() {
        assertEquals("Hello world", rebuild("Hello big-world", "1001", "Hello", "big", "-", "world"));
        assertEquals("dont", rebuild("don't", "101", "don", "'", "t"));
    }

    @Test
    void afterAKeptNewlineNoExtraSpace() {
        assertEquals("a\nc", rebuild("a\nb c", "1101", "a", "\n", "b", "c"));
        assertEquals("a\n  b", rebuild("a\n  b", "111", "a", "\n", "b"));
    }

    @Test
    void edgesAreTrimmedAndNonSpaceGapsAreNotCopied() {
        assertEquals("a b", rebuild("  a b  ", "11", "a", "b"));
        assertEquals("a b", rebuild("a [SEP] b", "11", "a", "b"));
        assertEquals("", rebuild("a b", "00", "a", "b"));
        assertEquals("b", rebuild("a b", "01", "a", "b"));
    }
}
