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
        // Gluing would invent the word "dont": a space instead (the space rule).
        assertEquals("don t", rebuild("don't", "101", "don", "'", "t"));
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

    @Test
    void droppedPunctuationBetweenKeptWordPiecesBecomesASpace() {
        assertEquals("state of the art", rebuild("state-of-the-art", "1010101", "state", "-", "of", "-", "the", "-",
                "art"));
        assertEquals("3 75", rebuild("3.75", "101", "3", ".", "75"));
        assertEquals("10 30", rebuild("10:30", "101", "10", ":", "30"));
        assertEquals("v1 2 3", rebuild("v1.2.3", "10101", "v1", ".", "2", ".", "3"));
        assertEquals("2024 01 05", rebuild("2024-01-05", "10101", "2024", "-", "01", "-", "05"));
        assertEquals("a b", rebuild("a\ud83d\ude00b", "101", "a", "\ud83d\ude00", "b"));
        // A combining accent glued to a letter would change that letter's word.
        assertEquals("x \u0301y", rebuild("x-\u0301y", "101", "x", "-", "\u0301y"));
    }

    @Test
    void scriptsWrittenWithoutSpacesGetNone() {
        assertEquals("\u65e5\u8a9e", rebuild("\u65e5\u30fb\u8a9e", "101", "\u65e5", "\u30fb", "\u8a9e"));
        assertEquals("\u0e20\u0e32\u0e44\u0e17", rebuild("\u0e20\u0e32-\u0e44\u0e17", "101", "\u0e20\u0e32", "-",
                "\u0e44\u0e17"));
        assertEquals("GPU\u4f7f", rebuild("GPU-\u4f7f", "101", "GPU", "-", "\u4f7f"));
        // Korean is written with spaces.
        assertEquals("\ud55c \uad6d", rebuild("\ud55c-\uad6d", "101", "\ud55c", "-", "\uad6d"));
    }
}
