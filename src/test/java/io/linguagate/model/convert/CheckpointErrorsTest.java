package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints the converter must refuse: each gives a {@link ModelLoadException} naming the file or tensor and the
 * problem, and no output file is written.
 */
class CheckpointErrorsTest {

    @TempDir
    Path tmp;

    private String convertError(Path dir) {
        Path out = tmp.resolve("out").resolve("model.onnx");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> CheckpointConverter.convert(dir, out, ConversionOptions.defaults()));
        assertTrue(!Files.exists(out), "no model may be written for a bad checkpoint");
        if (Files.isDirectory(out.getParent())) {
            try (Stream<Path> left = Files.list(out.getParent())) {
                assertEquals(0, left.count(), "temporary files left behind");
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        }
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" missing from: " + message);
        }
    }

    private Path withConfig(Family family, Consumer<ObjectNode> edit) {
        return RandomCheckpoint.small(family, 1).writeTo(tmp.resolve("ckpt"), Dtype.F32, true, edit, w -> { });
    }

    @Test
    void missingTensorNamesTheTensorAndItsExpectedShape() {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, 1);
        c.weights.remove("encoder.layer.1.output.dense.weight");
        Path dir = c.writeTo(tmp.resolve("ckpt"));
        assertMentions(convertError(dir), dir.resolve("model.safetensors").toString(),
                "no tensor \"bert.encoder.layer.1.output.dense.weight\"", "encoder.layer.1.output.dense.weight",
                "expected shape [32, 64]");
    }

    @Test
    void missingClassifierSaysItIsTheBareEncoder() {
        RandomCheckpoint c = RandomCheckpoint.small(Family.XLM_ROBERTA, 1);
        c.weights.remove("classifier.weight");
        assertMentions(convertError(c.writeTo(tmp.resolve("ckpt"))), "\"classifier.weight\"", "[2, 32]",
                "bare encoder");
    }

    @Test
    void wrongShapeNamesTheTensorTheExpectedAndTheActualShape() {
        RandomCheckpoint c = RandomCheckpoint.small(Family.XLM_ROBERTA, 1);
        c.weights.put("encoder.layer.0.attention.self.query.weight", new float[32 * 16]);
        c.shapes.put("encoder.layer.0.attention.self.query.weight", new long[] {32, 16});
        Path dir = c.writeTo(tmp.resolve("ckpt"));
        assertMentions(convertError(dir), dir.resolve("model.safetensors").toString(),
                "\"roberta.encoder.layer.0.attention.self.query.weight\"", "has shape [32, 16]", "expects [32, 32]");
    }

    @Test
    void embeddingSmallerThanTheVocabularyIsAWrongShape() {
        Path dir = withConfig(Family.BERT, cfg -> cfg.put("vocab_size", 60));
        assertMentions(convertError(dir), "\"bert.embeddings.word_embeddings.weight\"", "[50, 32]", "[60, 32]",
                "vocab 60");
    }

    @Test
    void integerWeightIsRefused() {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, 1);
        // The classifier bias stored as int64.
        c.weights.remove("classifier.bias");
        Path dir = c.writeTo(tmp.resolve("ckpt"), Dtype.F32, true, cfg -> { },
                w -> w.add("classifier.bias", Dtype.I64, new long[] {2}, new float[] {1, 2}));
        assertMentions(convertError(dir), "\"classifier.bias\"", "dtype I64");
    }

    @Test
    void unknownModelTypeIsRefused() {
        Path dir = withConfig(Family.BERT, cfg -> cfg.put("model_type", "deberta-v2"));
        assertMentions(convertError(dir), dir.resolve("config.json").toString(), "model_type \"deberta-v2\"",
                "\"bert\" or \"xlm-roberta\"");
        Path none = withConfig(Family.BERT, cfg -> cfg.remove("model_type"));
        assertMentions(convertError(none), "config.json", "no \"model_type\"");
    }

    @Test
    void activationOtherThanGeluIsRefused() {
        Path dir = withConfig(Family.XLM_ROBERTA, cfg -> cfg.put("hidden_act", "gelu_new"));
        assertMentions(convertError(dir), dir.resolve("config.json").toString(), "hidden_act", "\"gelu_new\"",
                "not supported");
        assertMentions(convertError(withConfig(Family.BERT, cfg -> cfg.put("hidden_act", "relu"))), "\"relu\"");
    }

    @Test
    void labelCountOtherThanTwoIsRefused() {
        Path dir = withConfig(Family.BERT, cfg -> cfg.put("num_labels", 3));
        assertMentions(convertError(dir), dir.resolve("config.json").toString(), "num_labels is 3",
                "exactly 2 labels");
        // HF configs usually give the labels as id2label only.
        Path fromMap = withConfig(Family.BERT, cfg -> ((ObjectNode) cfg.get("id2label")).put("2", "LABEL_2"));
        assertMentions(convertError(fromMap), "num_labels is 3", "id2label");
    }

    @Test
    void otherUnsupportedSettingsAreRefused() {
        assertMentions(convertError(withConfig(Family.BERT, cfg -> cfg.put("num_attention_heads", 5))),
                "hidden_size 32 is not a multiple of num_attention_heads 5");
        assertMentions(convertError(withConfig(Family.BERT,
                cfg -> cfg.put("position_embedding_type", "relative_key"))), "position_embedding_type",
                "relative_key");
        assertMentions(convertError(withConfig(Family.BERT, cfg -> cfg.remove("hidden_size"))),
                "no \"hidden_size\"");
        assertMentions(convertError(withConfig(Family.BERT, cfg -> cfg.put("num_hidden_layers", "two"))),
                "\"num_hidden_layers\" must be a positive integer");
        assertMentions(convertError(withConfig(Family.XLM_ROBERTA, cfg -> cfg.put("pad_token_id", 99))),
                "pad_token_id");
    }

    @Test
    void missingOrUnreadableFilesAreReported() throws IOException {
        Path dir = RandomCheckpoint.small(Family.BERT, 1).writeTo(tmp.resolve("ckpt"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        assertMentions(convertError(dir), dir.resolve("config.json").toString(), "not valid JSON");
        Files.delete(dir.resolve("config.json"));
        assertMentions(convertError(dir), "Missing " + dir.resolve("config.json"));

        Path noWeights = RandomCheckpoint.small(Family.BERT, 1).writeTo(tmp.resolve("ckpt2"));
        Files.move(noWeights.resolve("model.safetensors"), noWeights.resolve("pytorch_model.bin"));
        assertMentions(convertError(noWeights), "no model.safetensors", "pytorch_model.bin");

        assertMentions(convertError(tmp.resolve("does-not-exist")), "does not exist");
    }

    @Test
    void corruptWeightsFileIsReportedThroughTheConverter() throws IOException {
        Path dir = RandomCheckpoint.small(Family.XLM_ROBERTA, 1).writeTo(tmp.resolve("ckpt"));
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 100));
        assertMentions(convertError(dir), weights.toString(), "truncated");
    }
}
