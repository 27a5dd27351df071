package io.linguagate.testmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With truncation off, DJL encodes a ~32k-token text whole (its default would cut at 512). */
class LongTextTokenizationTest {

    private static final String PARAGRAPH =
            "We will ship the meeting notes on Monday, the walking talks are ok. Hello world! ";

    @Test
    void thirtyTwoThousandTokensAreNotTruncated(@TempDir Path dir) throws Exception {
        TinyTokenizerJson.write(dir, TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, false));
        try (HuggingFaceTokenizer t = DjlTokenizers.loadRaw(dir)) {
            int perParagraph = t.encode(PARAGRAPH, false, false).getIds().length;
            int repeats = 32_000 / perParagraph + 1;
            Encoding e = t.encode(PARAGRAPH.repeat(repeats), false, false);
            assertEquals(perParagraph * repeats, e.getIds().length);
            assertFalse(e.exceedMaxLength());
        }
    }
}
