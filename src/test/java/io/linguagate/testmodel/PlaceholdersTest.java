package io.linguagate.testmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL cannot add tokens at runtime; adding them to tokenizer.json's added_tokens before loading works. */
class PlaceholdersTest {

    @Test
    void addingPlaceholdersToJsonGivesConsecutiveIdsAfterBaseVocab(@TempDir Path dir) throws Exception {
        String base = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, false);
        int baseIds = TinyTokenizerJson.idCount(base);
        Path file = TinyTokenizerJson.write(dir, base);
        String edited = TinyTokenizerJson.withPlaceholders(file);
        assertEquals(baseIds + TinyTokenizerJson.PLACEHOLDER_COUNT, TinyTokenizerJson.idCount(edited));
        assertEquals(TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true), edited);
        TinyTokenizerJson.write(dir, edited);
        try (HuggingFaceTokenizer t = DjlTokenizers.loadRaw(dir)) {
            Encoding e = t.encode("[NEW0] ok [NEW99]", false, false);
            assertArrayEquals(new String[] {"[NEW0]", "ok", "[NEW99]"}, e.getTokens());
            assertEquals(baseIds, e.getIds()[0]);
            assertEquals(baseIds + 99, e.getIds()[2]);
        }
    }

    @Test
    void withoutPlaceholdersTheTextIsSplitIntoPieces(@TempDir Path dir) throws Exception {
        TinyTokenizerJson.write(dir, TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, false));
        try (HuggingFaceTokenizer t = DjlTokenizers.loadRaw(dir)) {
            assertArrayEquals(new String[] {"[UNK]", "[UNK]", "[UNK]"}, t.encode("[NEW3]", false, false).getTokens());
        }
    }

    @Test
    void xlmrPlaceholdersFollowMask() {
        String json = TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), false);
        int base = TinyTokenizerJson.idCount(json);
        assertEquals(4 + TinyTokenizerJson.defaultXlmrPieces().size() + 1, base);
        assertEquals(base + 100, TinyTokenizerJson.idCount(TinyTokenizerJson.withPlaceholders(json)));
    }
}
