package io.linguagate.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import io.linguagate.lingua.TokenizedText;
import io.linguagate.testmodel.TinyClassifierOnnx;
import io.linguagate.testmodel.TinyModelConfigJson;
import io.linguagate.testmodel.TinyModelDir;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real (tiny) model directories: inference results, layouts, and every broken-directory message. */
class ClassifierModelLoaderTest {

    private static ClassifierModel load(Path dir) {
        return load(dir, TestModelConfig.cpu(dir));
    }

    private static ClassifierModel load(Path dir, ModelConfig config) {
        return ClassifierModelLoader.load(ModelDirectory.read(dir, new ObjectMapper()), config);
    }

    private static String failure(Path dir) {
        return assertThrows(ModelLoadException.class, () -> load(dir).close()).getMessage();
    }

    private static void assertProbabilities(TinyClassifierOnnx model, List<int[]> chunks, List<float[]> got) {
        assertEquals(chunks.size(), got.size());
        for (int c = 0; c < chunks.size(); c++) {
            assertEquals(chunks.get(c).length, got.get(c).length);
            for (int t = 0; t < chunks.get(c).length; t++) {
                assertEquals(model.keepProbability(chunks.get(c)[t]), got.get(c)[t], 1e-6, "chunk " + c + " token " + t);
            }
        }
    }

    @Test
    void bertBatchPaddedToTheLongestChunkGivesEachTokensOwnProbability(@TempDir Path dir) {
        TinyClassifierOnnx tiny = TinyModelDir.writeBert(dir, true);
        try (ClassifierModel model = load(dir);
                HfClassifierTokenizer tokenizer = HfClassifierTokenizer.load(model.files())) {
            assertFalse(model.onCuda());
            TokenizedText a = tokenizer.tokenize("Hello world, we will ship on Monday.");
            TokenizedText b = tokenizer.tokenize("ok");
            List<int[]> chunks = List.of(a.ids(), b.ids());
            assertProbabilities(tiny, chunks, model.classifier().keepProbabilities(chunks));
        }
    }

    @Test
    void xlmRobertaShapedModelsGetNoTokenTypeIds(@TempDir Path dir) {
        TinyClassifierOnnx tiny = TinyModelDir.writeXlmRoberta(dir, true);
        try (ClassifierModel model = load(dir)) {
            List<int[]> chunks = List.of(new int[] {5, 6, 7}, new int[] {8});
            assertProbabilities(tiny, chunks, model.classifier().keepProbabilities(chunks));
        }
    }

    @Test
    void theOnnxSubdirectoryLayoutIsAccepted(@TempDir Path dir) throws IOException {
        TinyModelDir.writeBert(dir, true);
        Files.createDirectories(dir.resolve("onnx"));
        Files.move(dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx"));
        try (ClassifierModel model = load(dir)) {
            assertEquals(dir.resolve("onnx/model.onnx"), model.files().onnx());
        }
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) throws IOException {
        TinyModelDir.writeBert(dir, true);
        Files.delete(dir.resolve("model.onnx"));
        String message = failure(dir);
        assertTrue(message.contains("model.onnx") && message.contains("onnx/model.onnx"), message);
        Files.delete(dir.resolve("tokenizer.json"));
        assertTrue(failure(dir).contains("tokenizer.json"));
        assertTrue(failure(dir.resolve("absent")).contains("does not exist"));
    }

    @Test
    void theFamilyComesFromConfigModelType(@TempDir Path dir) throws IOException {
        TinyModelDir.writeBert(dir, true);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        String message = failure(dir);
        assertTrue(message.contains("config.json") && message.contains("gpt2"), message);
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 10}");
        assertTrue(failure(dir).contains("model_type"));
        Files.writeString(dir.resolve("config.json"), "{not json");
        assertTrue(failure(dir).contains("not valid JSON"));
    }

    @Test
    void aBaseEncoderWithoutTheTwoClassHeadIsRefused(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        int ids = TinyTokenizerJson.idCount(TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true));
        TinyClassifierOnnx.builder(ids).labels(3).build().writeTo(dir);
        String message = failure(dir);
        assertTrue(message.contains("model.onnx") && message.contains("[batch, sequence, 2]"), message);
        TinyClassifierOnnx.builder(ids).rank2Output().build().writeTo(dir);
        assertTrue(failure(dir).contains("[batch, sequence, 2]"));
    }

    @Test
    void aTokenizerLargerThanTheEmbeddingIsCaughtAtWarmUp(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        int ids = TinyTokenizerJson.idCount(TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true));
        TinyClassifierOnnx.builder(ids).tableRows(ids - 100).build().writeTo(dir);
        String message = failure(dir);
        assertTrue(message.contains("model.onnx") && message.contains("same checkpoint"), message);
    }

    @Test
    void configVocabSizeSmallerThanTheTokenizerIsNamed(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, false);
        TinyModelConfigJson.write(dir, TinyModelConfigJson.bert(40)); // tokenizer has 132 ids with placeholders
        String message = failure(dir);
        assertTrue(message.contains("tokenizer.json") && message.contains("vocab_size 40"), message);
    }

    @Test
    void aCorruptGraphIsNamed(@TempDir Path dir) throws IOException {
        TinyModelDir.writeBert(dir, true);
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
        String message = failure(dir);
        assertTrue(message.contains("model.onnx") && message.contains("cannot be loaded"), message);
    }

    @Test
    void cudaRequiredWithoutCudaStopsWithAFix(@TempDir Path dir) {
        TinyModelDir.writeBert(dir, true);
        String message = assertThrows(ModelLoadException.class,
                () -> load(dir, TestModelConfig.cpu(dir).withDevice(ModelConfig.Device.CUDA))).getMessage();
        assertTrue(message.contains("device=cuda") && message.contains("LINGUAGATE_MODEL_DEVICE=auto"), message);
    }
}
