package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholderTextTest {

    private static Map<String, String> map(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void replacesEveryOccurrenceAndMapsOffsetsBack() {
        PlaceholderText t = PlaceholderText.substitute("ab\ncd\n", map("\n", "[NEW0]"));
        assertEquals("ab[NEW0]cd[NEW0]", t.text());
        assertEquals(2, t.placeholderCount());
        // "cd" is at [8, 10) in the substituted text, [3, 5) in the original
        assertEquals(3, t.originalStart(8));
        assertEquals(5, t.originalEnd(10));
        // the placeholders themselves map to the newline they stand for
        assertEquals(2, t.originalStart(2));
        assertEquals(3, t.originalEnd(8));
        assertEquals(5, t.originalStart(10));
        assertEquals(6, t.originalEnd(16));
        // before any placeholder: identity
        assertEquals(0, t.originalStart(0));
        assertEquals(2, t.originalEnd(2));
    }

    @Test
    void tokenOffsetsAreMappedInOneWalkEvenWhenTheyGoBack() {
        PlaceholderText t = PlaceholderText.substitute("a\nb\nc", map("\n", "[NEW0]"));
        assertEquals("a[NEW0]b[NEW0]c", t.text());
        // tokens: c (out of order), a, [NEW0], b, [NEW0], c
        TokenizedText tokens = new TokenizedText(new int[6], new String[6],
                new int[] {14, 0, 1, 7, 8, 14}, new int[] {15, 1, 7, 8, 14, 15});
        TokenizedText mapped = t.toOriginalOffsets(tokens);
        assertArrayEquals(new int[] {4, 0, 1, 2, 3, 4}, mapped.starts());
        assertArrayEquals(new int[] {5, 1, 2, 3, 4, 5}, mapped.ends());
    }

    @Test
    void multiCharForceStringBecomesOnePlaceholder() {
        PlaceholderText t = PlaceholderText.substitute("I love New York now", map("New York", "[NEW3]"));
        assertEquals("I love [NEW3] now", t.text());
        assertEquals(7, t.originalStart(7));
        assertEquals(15, t.originalEnd(13));
        assertEquals(16, t.originalStart(14)); // "now"
    }

    @Test
    void sequentialReplaceInListOrder() {
        // "ab" is replaced first everywhere, so "xa" no longer matches (str.replace one after the other)
        assertEquals("x[NEW0]", PlaceholderText.substitute("xab", map("ab", "[NEW0]", "xa", "[NEW1]")).text());
        assertEquals("[NEW1]b", PlaceholderText.substitute("xab", map("xa", "[NEW1]", "ab", "[NEW0]")).text());
        // non-overlapping left to right, like str.replace
        assertEquals("[NEW0]a", PlaceholderText.substitute("aaa", map("aa", "[NEW0]")).text());
    }

    @Test
    void placeholdersAreAtomic() {
        PlaceholderText t = PlaceholderText.substitute("a\nNEW", map("\n", "[NEW0]", "NEW", "[NEW1]"));
        assertEquals("a[NEW0][NEW1]", t.text());
    }

    @Test
    void noForceStringsIsIdentity() {
        PlaceholderText t = PlaceholderText.substitute("héllo", map());
        assertEquals("héllo", t.text());
        TokenizedText tokens = Fakes.ToyTokenizer.wordPiece().tokenize("héllo");
        assertTrue(tokens == t.toOriginalOffsets(tokens));
    }

    @Test
    void forceTokensMapOnlyMultiTokenStringsAndChunkEndsFollow() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece();
        // "\n" makes no token and "New York" two: both need placeholders; "." is one token
        ForceTokens f = ForceTokens.build(List.of("\n", ".", "New York"), List.of(".", "\n"), tok);
        assertEquals(map("\n", "[NEW0]", "New York", "[NEW2]"), f.placeholderByForce());
        int nl = Fakes.PLACEHOLDER_BASE;
        int ny = Fakes.PLACEHOLDER_BASE + 2;
        assertEquals("\n", f.forceOfSlot(f.placeholderSlot(nl)));
        assertEquals("New York", f.forceOfSlot(f.placeholderSlot(ny)));
        assertEquals(-1, f.placeholderSlot(Fakes.PLACEHOLDER_BASE + 1));
        assertTrue(f.isChunkEnd(nl, "[NEW0]"), "a mapped chunk end stays a chunk end");
        assertFalse(f.isChunkEnd(ny, "[NEW2]"));
        assertTrue(f.isChunkEnd(5, "."));
        assertFalse(f.isChunkEnd(5, "\u2581."), "pieces are compared raw, as the reference does");
    }

    @Test
    void missingPlaceholderInVocabularyIsReported() {
        Fakes.ToyTokenizer tok = new Fakes.ToyTokenizer(TokenizerFamily.WORDPIECE) {
            @Override
            public java.util.OptionalInt placeholderId(String placeholder) {
                return java.util.OptionalInt.empty();
            }
        };
        assertThrows(IllegalStateException.class, () -> ForceTokens.build(List.of("a b"), List.of(), tok));
    }
}
