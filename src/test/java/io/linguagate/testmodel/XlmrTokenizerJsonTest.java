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

/** Pins how DJL 0.38.0 tokenizes with the hand-made XLM-R SentencePiece Unigram tokenizer.json. */
class XlmrTokenizerJsonTest {

    private static final int SPACE_ID = 4 + 23;
    private static final int NEW0_ID = 4 + TinyTokenizerJson.defaultXlmrPieces().size() + 1;

    @TempDir
    static Path dir;

    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        TinyTokenizerJson.write(dir, TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), true));
        tokenizer = DjlTokenizers.loadRaw(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void metaspaceTokenSpanIncludesThePrecedingSpace() {
        Encoding e = tokenizer.encode("Hello world.", false, false);
        assertArrayEquals(new String[] {"▁Hello", "▁world", "."}, e.getTokens());
        assertArrayEquals(new long[] {4, 5, 6}, e.getIds());
        assertArrayEquals(new int[][] {{0, 5}, {5, 11}, {11, 12}}, Spans.of(e));
        assertArrayEquals(new int[][] {{0, 6}}, Spans.of(tokenizer.encode(" Hello", false, false)));
    }

    @Test
    void unknownKeepsItsSurfaceTextAsTokenAndSpansAreCodePoints() {
        Encoding e = tokenizer.encode("Zoë 東京 🎉 ok", false, false);
        assertArrayEquals(new String[] {"▁Zoë", "▁東京", "▁", "🎉", "▁ok"}, e.getTokens());
        assertEquals(TinyTokenizerJson.XLMR_UNK, e.getIds()[3]);
        assertEquals(SPACE_ID, e.getIds()[2]);
        assertArrayEquals(new int[][] {{0, 3}, {3, 6}, {6, 7}, {7, 8}, {8, 11}}, Spans.of(e));
        Encoding twice = tokenizer.encode("ok 🎉🎉 ok", false, false);
        assertArrayEquals(new String[] {"▁ok", "▁", "🎉🎉", "▁ok"}, twice.getTokens());
        assertArrayEquals(new int[][] {{0, 2}, {2, 3}, {3, 5}, {5, 8}}, Spans.of(twice));
    }

    @Test
    void placeholderIsOneTokenWithOrWithoutSpaces() {
        long newThree = NEW0_ID + 3;
        Encoding glued = tokenizer.encode("a[NEW3]b", false, false);
        assertArrayEquals(new String[] {"▁a", "[NEW3]", "▁b"}, glued.getTokens());
        assertEquals(newThree, glued.getIds()[1]);
        assertArrayEquals(new int[][] {{0, 1}, {1, 7}, {7, 8}}, Spans.of(glued));
        Encoding spaced = tokenizer.encode("a [NEW3] b", false, false);
        assertArrayEquals(new String[] {"▁a", "▁", "[NEW3]", "▁b"}, spaced.getTokens());
        assertArrayEquals(new int[][] {{0, 1}, {1, 2}, {2, 8}, {8, 10}}, Spans.of(spaced));
        assertArrayEquals(new long[] {0, 0, 0, 0}, spaced.getSpecialTokenMask());
    }

    @Test
    void newlineInsideTextYieldsNoTokenButAloneYieldsSpacePiece() {
        Encoding e = tokenizer.encode("a\nb", false, false);
        assertArrayEquals(new String[] {"▁a", "▁b"}, e.getTokens());
        assertArrayEquals(new int[][] {{0, 1}, {1, 3}}, Spans.of(e));
        Encoding alone = tokenizer.encode("\n", false, false);
        assertArrayEquals(new long[] {SPACE_ID}, alone.getIds());
    }

    @Test
    void postProcessorSpecialsAreMaskedAndHaveNullSpans() {
        Encoding e = tokenizer.encode("Hello world.", true, false);
        assertArrayEquals(new String[] {"<s>", "▁Hello", "▁world", ".", "</s>"}, e.getTokens());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, e.getSpecialTokenMask());
        assertArrayEquals(new int[] {-1, -1}, Spans.of(e)[0]);
    }

    @Test
    void legacyMetaspaceFormLoadsToo(@TempDir Path legacyDir) throws Exception {
        String json = TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), false)
                .replace("\"prepend_scheme\":\"always\",\"split\":true", "\"add_prefix_space\":true");
        TinyTokenizerJson.write(legacyDir, json);
        try (HuggingFaceTokenizer legacy = DjlTokenizers.loadRaw(legacyDir)) {
            Encoding e = legacy.encode("Hello world.", false, false);
            assertArrayEquals(new long[] {4, 5, 6}, e.getIds());
            assertArrayEquals(new int[][] {{0, 5}, {5, 11}, {11, 12}}, Spans.of(e));
        }
    }
}
