package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordMergerTest {

    private record Merged(String source, ChunkWords words) {
        String[] texts() {
            String[] out = new String[words.count];
            for (int i = 0; i < words.count; i++) {
                out[i] = source.substring(words.starts[i], words.ends[i]);
            }
            return out;
        }

        String[] refs() {
            return Arrays.copyOf(words.refTexts, words.count);
        }

        double[] probs() {
            return Arrays.copyOf(words.probs, words.count);
        }
    }

    private static Merged merge(Fakes.ToyTokenizer tok, String text, List<String> force, boolean digits,
            TokenToWord mode, float... probs) {
        ForceTokens f = ForceTokens.build(force, List.of(".", "\n"), tok);
        PlaceholderText pt = PlaceholderText.substitute(text, f.placeholderByForce());
        TokenizedText tokens = pt.toOriginalOffsets(tok.tokenize(pt.text()));
        assertEquals(probs.length, tokens.size(), "test gives one probability per token");
        return new Merged(text, new WordMerger(tok, f, digits, mode).merge(text, tokens, 0, tokens.size(), probs));
    }

    @Test
    void wordPieceContinuationsJoinTheirWord() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece().split("unbelievable", "un", "believ", "able");
        Merged m = merge(tok, "so unbelievable", List.of(), false, TokenToWord.MEAN, 0.5f, 0.2f, 0.8f, 0.8f);
        assertArrayEquals(new String[] {"so", "unbelievable"}, m.texts());
        assertArrayEquals(new String[] {"so", "unbelievable"}, m.refs());
        assertEquals((0.2f + 0.8f + 0.8f) / 3, m.probs()[1], 0.0);
    }

    @Test
    void firstModeTakesTheFirstToken() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece().split("unbelievable", "un", "believ", "able");
        Merged m = merge(tok, "so unbelievable", List.of(), false, TokenToWord.FIRST, 0.5f, 0.2f, 0.8f, 0.8f);
        assertEquals(0.2f, m.probs()[1], 0.0);
    }

    @Test
    void sentencePieceKeepsItsMarkInTheReferenceTextOnly() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.sentencePiece().split("unbelievable", "un", "believ", "able");
        Merged m = merge(tok, "so unbelievable.", List.of(), false, TokenToWord.MEAN,
                0.5f, 0.2f, 0.8f, 0.8f, 0.3f);
        // "▁un" opens the word, "believ"/"able" continue, "." is punctuation so it opens one
        assertArrayEquals(new String[] {"\u2581so", "\u2581unbelievable", "."}, m.refs());
        // offsets of "▁un" include the space; the word's text does not
        assertArrayEquals(new String[] {"so", "unbelievable", "."}, m.texts());
    }

    @Test
    void forceTokensAndPlaceholdersGetProbabilityOne() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece();
        // "." is one token (matched by piece); "\n" and "New York" become [NEW0] / [NEW2]
        Merged m = merge(tok, "in New York.\nok", List.of("\n", ".", "New York"), false, TokenToWord.MEAN,
                0.1f, 0.2f, 0.3f, 0.4f, 0.5f);
        assertArrayEquals(new String[] {"in", "New York", ".", "\n", "ok"}, m.texts());
        assertArrayEquals(new String[] {"in", "New York", ".", "\n", "ok"}, m.refs());
        assertArrayEquals(new double[] {0.1f, 1.0, 1.0, 1.0, 0.5f}, m.probs());
    }

    @Test
    void digitsAreForcedWithReserveDigitOnStartAndContinuation() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece().split("ab12", "ab", "12");
        Merged off = merge(tok, "pay 42 ab12", List.of(), false, TokenToWord.MEAN, 0.1f, 0.2f, 0.3f, 0.4f);
        assertArrayEquals(new double[] {0.1f, 0.2f, (0.3f + 0.4f) / 2}, off.probs());
        Merged on = merge(tok, "pay 42 ab12", List.of(), true, TokenToWord.MEAN, 0.1f, 0.2f, 0.3f, 0.4f);
        assertArrayEquals(new double[] {0.1f, 1.0, (0.3f + 1f) / 2}, on.probs());
        // unicode digits count as \d does
        assertEquals(true, WordMerger.containsDigit("٣"));
        assertEquals(false, WordMerger.containsDigit("abc"));
    }

    @Test
    void specialTokensAreSkipped() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece();
        Merged m = merge(tok, "a [SEP] b", List.of(), false, TokenToWord.MEAN, 0.1f, 0.9f, 0.3f);
        assertArrayEquals(new String[] {"a", "b"}, m.texts());
    }

    @Test
    void chunkStartingWithAContinuationOpensAWord() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece().split("abcdef", "ab", "cd", "ef");
        String text = "abcdef";
        TokenizedText tokens = tok.tokenize(text);
        ForceTokens f = ForceTokens.build(List.of(), List.of("."), tok);
        ChunkWords w = new WordMerger(tok, f, false, TokenToWord.MEAN)
                .merge(text, tokens, 1, 3, new float[] {0.4f, 0.6f});
        assertEquals(1, w.count);
        assertEquals("cdef", text.substring(w.starts[0], w.ends[0]));
        assertEquals("cdef", w.refTexts[0]);
        assertEquals(0.5, w.probs[0], 1e-7);
    }

    @Test
    void unforcedProbabilityUsesEachTokensOwnValue() {
        Fakes.ToyTokenizer tok = Fakes.ToyTokenizer.wordPiece().split("abcd", "ab", "cd");
        Merged m = merge(tok, "abcd .", List.of("."), false, TokenToWord.MEAN, 0.2f, 0.6f, 0.3f);
        assertEquals((0.2f + 0.6f) / 2, m.words.rawProbs[0], 0.0); // the reference would use 0.2 twice
        assertEquals(0.3f, m.words.rawProbs[1], 0.0);                // unforced
        assertEquals(1.0, m.words.probs[1], 0.0);                    // forced
    }

    @Test
    void sentencePiecePunctuationRuleIsTheReferenceSubstringTest() {
        TokenizerFamily sp = TokenizerFamily.SENTENCEPIECE;
        java.util.Set<String> none = java.util.Set.of();
        assertEquals(true, sp.isWordStart(".", false, none));
        assertEquals(true, sp.isWordStart("()", false, none));   // a run inside string.punctuation
        assertEquals(false, sp.isWordStart(").", false, none));  // not a substring of it
        assertEquals(false, sp.isWordStart("ing", false, none));
        assertEquals(true, sp.isWordStart("ing", false, java.util.Set.of("ing")));
        assertEquals(true, sp.isWordStart("\u2581x", false, none));
        assertEquals("x", sp.pure("\u2581\u2581x"));
        assertEquals("x", TokenizerFamily.WORDPIECE.pure("###x"));
        assertEquals(true, TokenizerFamily.WORDPIECE.isWordStart("##.", false, java.util.Set.of(".")));
    }
}
