package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.TokenizerFamily;
import io.linguagate.model.ClassifierModel;
import io.linguagate.model.ClassifierModelLoader;
import io.linguagate.model.ModelDirectory;
import io.linguagate.model.TestModelConfig;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A converted checkpoint next to its tokenizer is a model directory the gateway loads as it is: its loader checks
 * the inputs and the logits output and runs the warm-up (a full 512-token chunk ending in the highest token id,
 * placeholders included).
 */
class GatewayLoadsConvertedModelTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Family.class)
    void convertedModelPassesTheGatewayLoader(Family family) {
        boolean bert = family == Family.BERT;
        String tokenizer = bert
                ? TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true)
                : TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), true);
        int ids = TinyTokenizerJson.idCount(tokenizer);
        // 512 positions as in the real checkpoints (XLM-R: 514, two lost to the padding offset).
        RandomCheckpoint c = RandomCheckpoint.sized(family, ids, bert ? 512 : 514, 3);
        Path dir = c.writeTo(tmp.resolve("model"));
        TinyTokenizerJson.write(dir, tokenizer);
        CheckpointConverter.convert(dir, dir.resolve("model.onnx"), ConversionOptions.defaults());

        ModelDirectory files = ModelDirectory.read(dir, new ObjectMapper());
        assertEquals(bert ? TokenizerFamily.WORDPIECE : TokenizerFamily.SENTENCEPIECE, files.family());
        try (ClassifierModel model = ClassifierModelLoader.load(files, TestModelConfig.cpu(dir))) {
            assertTrue(model.files().onnx().endsWith("model.onnx"));
        }
    }
}
