package io.linguagate.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.LoneSurrogates;
import io.linguagate.lingua.TokenizedText;
import io.linguagate.lingua.TokenizerFamily;
import io.linguagate.testmodel.TinyModelDir;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfClassifierTokenizerTest {

    private static HfClassifierTokenizer load(Path dir) {
        return HfClassifierTokenizer.load(ModelDirectory.read(dir, new ObjectMapper()));
    }

    @Test
    void bertTokenizesWithoutSpecialTokensAndWithUtf16Offsets(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            assertEquals(TokenizerFamily.WORDPIECE, tokenizer.family());
            String text = "Zoë 東京 🎉 ok walking";
            TokenizedText t = tokenizer.tokenize(text);
            assertArrayEquals(new String[] {"Zo", "##ë", "東", "京", "[UNK]", "ok", "walk", "##ing"}, t.pieces());
            for (int i = 0; i < t.size(); i++) {
                String piece = t.pieces()[i].replace("##", "");
                String source = text.substring(t.starts()[i], t.ends()[i]);
                assertEquals(piece.equals("[UNK]") ? "🎉" : piece, source, "token " + i);
            }
        }
    }

    @Test
    void loneSurrogatesKeepEveryOffsetAfterThemExact(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            for (String text : new String[] {"\uD800 ok walking", "ok \uDC00walking \uD83D", "ok\uDC00\uD800 walk"}) {
                TokenizedText t = tokenizer.tokenize(text);
                for (int i = 0; i < t.size(); i++) {
                    String piece = t.pieces()[i].replace("##", "");
                    String source = text.substring(t.starts()[i], t.ends()[i]);
                    if (!piece.equals("[UNK]")) {
                        assertEquals(piece, source, text + ": token " + i);
                    }
                }
                assertTrue(java.util.Arrays.asList(t.pieces()).contains("ok"), text);
            }
            // A proper pair is left alone.
            assertEquals("a\uD83C\uDF89b", LoneSurrogates.replaced("a\uD83C\uDF89b"));
            assertEquals("a\uFFFDb\uFFFD", LoneSurrogates.replaced("a\uDC00b\uD800"));
        }
    }

    @Test
    void specialTokensAreTheFramingOnesNotPlaceholdersNorUnknown(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            assertEquals(new SequenceIds(TinyTokenizerJson.BERT_CLS, TinyTokenizerJson.BERT_SEP,
                    TinyTokenizerJson.BERT_PAD), tokenizer.sequenceIds());
            assertTrue(tokenizer.isSpecial(TinyTokenizerJson.BERT_CLS));
            assertTrue(tokenizer.isSpecial(TinyTokenizerJson.BERT_PAD));
            assertFalse(tokenizer.isSpecial(TinyTokenizerJson.BERT_UNK));
            int placeholder = tokenizer.placeholderId("[NEW7]").orElseThrow();
            assertFalse(tokenizer.isSpecial(placeholder));
            assertArrayEquals(new int[] {placeholder}, tokenizer.tokenize("[NEW7]").ids());
            assertTrue(tokenizer.isSingleToken("walk"));
            assertFalse(tokenizer.isSingleToken("walking"));
        }
    }

    @Test
    void missingPlaceholdersAreAddedAfterTheVocabulary(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, false);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            int base = TinyTokenizerJson.DEFAULT_BERT_WORDS.size() + 5; // 5 special tokens first
            assertEquals(base, tokenizer.placeholderId("[NEW0]").orElseThrow());
            assertEquals(base + 99, tokenizer.placeholderId("[NEW99]").orElseThrow());
            assertEquals(base + 100, tokenizer.vocabularySize());
            int[] ids = tokenizer.tokenize("ok[NEW5]ok").ids();
            assertEquals(base + 5, ids[1]);
        }
    }

    @Test
    void longInputsAreNeverTruncated(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            String text = "we will ship on Monday . ".repeat(300);
            assertEquals(1800, tokenizer.tokenize(text).size());
        }
    }

    @Test
    void xlmRobertaIsSentencePieceFramedWithBosEos(@TempDir Path dir) {
        TinyModelDir.writeXlmRoberta(dir, false);
        try (HfClassifierTokenizer tokenizer = load(dir)) {
            assertEquals(TokenizerFamily.SENTENCEPIECE, tokenizer.family());
            assertEquals(new SequenceIds(TinyTokenizerJson.XLMR_BOS, TinyTokenizerJson.XLMR_EOS,
                    TinyTokenizerJson.XLMR_PAD), tokenizer.sequenceIds());
            assertFalse(tokenizer.isSpecial(TinyTokenizerJson.XLMR_UNK));
            String text = "Hello world.";
            TokenizedText t = tokenizer.tokenize(text);
            assertArrayEquals(new String[] {"▁Hello", "▁world", "."}, t.pieces());
            assertEquals(" world", text.substring(t.starts()[1], t.ends()[1]));
            assertTrue(tokenizer.placeholderId("[NEW0]").isPresent());
        }
    }
}
