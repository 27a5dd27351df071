package io.linguagate.testmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins how DJL 0.38.0 tokenizes with the hand-made cased BERT WordPiece tokenizer.json. */
class BertTokenizerJsonTest {

    private static final int BASE = 5 + TinyTokenizerJson.DEFAULT_BERT_WORDS.size();

    @TempDir
    static Path dir;

    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        TinyTokenizerJson.write(dir, TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true));
        tokenizer = DjlTokenizers.loadRaw(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void builderDisablesTruncationAndPadding() {
        assertEquals("DO_NOT_TRUNCATE", tokenizer.getTruncation());
        assertEquals("DO_NOT_PAD", tokenizer.getPadding());
    }

    @Test
    void casedAccentsKeptAndSpansAreCodePoints() {
        String text = "Zoë 東京 🎉 ok";
        Encoding e = tokenizer.encode(text, false, false);
        assertArrayEquals(new String[] {"Zo", "##ë", "東", "京", "[UNK]", "ok"}, e.getTokens());
        assertEquals(TinyTokenizerJson.BERT_UNK, e.getIds()[4]);
        assertArrayEquals(new int[][] {{0, 2}, {2, 3}, {4, 5}, {5, 6}, {7, 8}, {9, 11}}, Spans.of(e));
        // "ok" is at code point 9 but UTF-16 index 10: spans count code points, not Java chars.
        assertEquals(10, text.indexOf("ok"));
        assertEquals(9, text.codePointCount(0, text.indexOf("ok")));
    }

    @Test
    void wordPieceContinuationsAndWordIds() {
        Encoding e = tokenizer.encode("walking talks", false, false);
        assertArrayEquals(new String[] {"walk", "##ing", "talk", "##s"}, e.getTokens());
        assertArrayEquals(new long[] {0, 0, 1, 1}, e.getWordIds());
    }

    @Test
    void placeholderIsOneTokenWithOrWithoutSpaces() {
        long newThree = BASE + 3;
        Encoding glued = tokenizer.encode("a[NEW3]b", false, false);
        assertArrayEquals(new String[] {"a", "[NEW3]", "b"}, glued.getTokens());
        assertArrayEquals(new long[] {12, newThree, 13}, glued.getIds());
        assertArrayEquals(new int[][] {{0, 1}, {1, 7}, {7, 8}}, Spans.of(glued));
        Encoding spaced = tokenizer.encode("a [NEW3] b", false, false);
        assertArrayEquals(new String[] {"a", "[NEW3]", "b"}, spaced.getTokens());
        assertArrayEquals(new int[][] {{0, 1}, {2, 8}, {9, 10}}, Spans.of(spaced));
        // The special flag of an added token matched in the text is NOT in the mask.
        assertArrayEquals(new long[] {0, 0, 0}, spaced.getSpecialTokenMask());
    }

    @Test
    void unknownWordIsOneUnkOverTheWholeWord() {
        Encoding e = tokenizer.encode("x🎉y", false, false);
        assertArrayEquals(new long[] {TinyTokenizerJson.BERT_UNK}, e.getIds());
        assertArrayEquals(new int[][] {{0, 3}}, Spans.of(e));
    }

    @Test
    void newlinesYieldNoToken() {
        assertEquals(0, tokenizer.encode("\n", false, false).getIds().length);
        Encoding e = tokenizer.encode("a\nb", false, false);
        assertArrayEquals(new String[] {"a", "b"}, e.getTokens());
        assertArrayEquals(new int[][] {{0, 1}, {2, 3}}, Spans.of(e));
    }

    @Test
    void postProcessorSpecialsAreMaskedAndHaveNullSpans() {
        Encoding e = tokenizer.encode("Hello world.", true, false);
        assertArrayEquals(new String[] {"[CLS]", "Hello", "world", ".", "[SEP]"}, e.getTokens());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, e.getSpecialTokenMask());
        assertArrayEquals(new int[][] {{-1, -1}, {0, 5}, {6, 11}, {11, 12}, {-1, -1}}, Spans.of(e));
    }
}
