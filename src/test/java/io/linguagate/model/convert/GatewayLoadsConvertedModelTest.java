package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.ScoredWord;
import io.linguagate.lingua.TokenizerFamily;
import io.linguagate.model.ClassifierModel;
import io.linguagate.model.ClassifierModelLoader;
import io.linguagate.model.ModelDirectory;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.TestModelConfig;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.ConversionOptions.ExternalData;
import io.linguagate.model.convert.ConversionOptions.Precision;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A converted checkpoint next to its tokenizer is a model directory the gateway loads as it is: its loader checks
 * the inputs and the logits output and runs the warm-up (a full 512-token chunk ending in the highest token id,
 * placeholders included). int8 models too, whether converted here or exported elsewhere (onnxruntime's
 * {@code quantize_dynamic}), and a damaged int8 file is refused with the file's name.
 */
class GatewayLoadsConvertedModelTest {

    /** Texts made of the tiny tokenizers' words, compressed through the whole pipeline. */
    static final List<String> TEXTS = List.of(
            "the quick brown fox jumps over the lazy dog and we will ship on monday, hello world.",
            "hello world, the meeting is on monday. we will ship the brown fox and the lazy dog.");

    @TempDir
    Path tmp;

    private Path modelDir(Family family, ConversionOptions options, String name) {
        boolean bert = family == Family.BERT;
        String tokenizer = tokenizer(family);
        int ids = TinyTokenizerJson.idCount(tokenizer);
        // 512 positions as in the real checkpoints (XLM-R: 514, two lost to the padding offset).
        RandomCheckpoint c = RandomCheckpoint.sized(family, ids, bert ? 512 : 514, 3);
        Path dir = c.writeTo(tmp.resolve(name));
        TinyTokenizerJson.write(dir, tokenizer);
        CheckpointConverter.convert(dir, dir.resolve("model.onnx"), options);
        return dir;
    }

    private static String tokenizer(Family family) {
        return family == Family.BERT
                ? TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true)
                : TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), true);
    }

    private static ClassifierModel load(Path dir) {
        return ClassifierModelLoader.load(ModelDirectory.read(dir, new ObjectMapper()), TestModelConfig.cpu(dir));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void convertedModelPassesTheGatewayLoader(Family family) {
        Path dir = modelDir(family, ConversionOptions.defaults(), "model");
        ModelDirectory files = ModelDirectory.read(dir, new ObjectMapper());
        assertEquals(family == Family.BERT ? TokenizerFamily.WORDPIECE : TokenizerFamily.SENTENCEPIECE,
                files.family());
        try (ClassifierModel model = ClassifierModelLoader.load(files, TestModelConfig.cpu(dir))) {
            assertTrue(model.files().onnx().endsWith("model.onnx"));
        }
    }

    /**
     * The gateway's compression of the test texts keeps and drops the same words with int8 as with fp32: every
     * word that int8's noise cannot carry across the percentile threshold (farther from it than twice the largest
     * probability difference seen, since the threshold moves with the noise too) has the same label, and the
     * probabilities differ by at most {@link #PROBABILITY_TOLERANCE}.
     */
    @ParameterizedTest
    @EnumSource(Family.class)
    void int8ModelLoadsAndLabelsTheTestTextsAsFp32Does(Family family) {
        Path fp32 = modelDir(family, ConversionOptions.defaults(), "fp32");
        Path int8 = modelDir(family, ConversionOptions.defaults().withPrecision(Precision.INT8), "int8");
        Path external = modelDir(family, ConversionOptions.defaults().withPrecision(Precision.INT8)
                .withExternalData(ExternalData.ALWAYS), "int8-external");
        assertTrue(Files.exists(external.resolve("model.onnx_data")));
        List<List<ScoredWord>> expected = words(fp32);
        assertSameLabels(expected, words(int8), family + " int8");
        assertSameLabels(expected, words(external), family + " int8, external data");
    }

    /** Largest |p_int8 - p_fp32| of a word for the converter's int8 (measured: XLM-R 0.009, BERT 0.022). */
    static final double PROBABILITY_TOLERANCE = 0.03;

    static void assertSameLabels(List<List<ScoredWord>> expected, List<List<ScoredWord>> actual, String what) {
        assertSameLabels(expected, actual, what, PROBABILITY_TOLERANCE);
    }

    static void assertSameLabels(List<List<ScoredWord>> expected, List<List<ScoredWord>> actual, String what,
            double tolerance) {
        assertEquals(expected.size(), actual.size());
        double noise = 0;
        for (int c = 0; c < expected.size(); c++) {
            assertEquals(expected.get(c).size(), actual.get(c).size(), what + ": words of compression " + c);
            for (int i = 0; i < expected.get(c).size(); i++) {
                noise = Math.max(noise, Math.abs(expected.get(c).get(i).prob() - actual.get(c).get(i).prob()));
            }
        }
        assertTrue(noise <= tolerance, what + ": max |p_int8 - p_fp32| = " + noise);
        assertTrue(noise > 0, what + ": the same probabilities as fp32, nothing was quantized");
        int compared = 0;
        int total = 0;
        for (int c = 0; c < expected.size(); c++) {
            List<ScoredWord> e = expected.get(c);
            List<ScoredWord> a = actual.get(c);
            double lowestKept = e.stream().filter(ScoredWord::kept).mapToDouble(ScoredWord::prob).min().orElse(1);
            double highestDropped = e.stream().filter(w -> !w.kept()).mapToDouble(ScoredWord::prob).max()
                    .orElse(0);
            double threshold = (lowestKept + highestDropped) / 2;
            for (int i = 0; i < e.size(); i++) {
                total++;
                if (Math.abs(e.get(i).prob() - threshold) <= 2 * noise) {
                    continue;
                }
                compared++;
                assertEquals(e.get(i).kept(), a.get(i).kept(), what + ": compression " + c + ", word \""
                        + e.get(i).text() + "\" (fp32 " + e.get(i).prob() + ", int8 " + a.get(i).prob()
                        + ", threshold " + threshold + ")");
            }
        }
        assertTrue(compared >= total * 0.4, what + ": only " + compared + " of " + total + " words away from "
                + "the threshold");
    }

    /** Every word with its probability and label: each test text at rates 0.33, 0.5 and 0.7. */
    private static List<List<ScoredWord>> words(Path dir) {
        try (ClassifierModel model = load(dir)) {
            var compressor = model.compressor("words", text -> text.split(" ").length);
            return TEXTS.stream().flatMap(text -> Arrays.stream(new double[] {0.33, 0.5, 0.7}).mapToObj(rate ->
                    compressor.compress(text, CompressionOptions.builder().rate(rate).returnWords(true).build())
                            .words()))
                    .toList();
        }
    }

    @Test
    void aTruncatedInt8ModelIsNamed() throws IOException {
        Path dir = modelDir(Family.BERT, ConversionOptions.defaults().withPrecision(Precision.INT8), "cut");
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
        String message = assertThrows(ModelLoadException.class, () -> load(dir).close()).getMessage();
        assertTrue(message.contains(dir.resolve("model.onnx").toString()) && message.contains("cannot be loaded"),
                message);
    }

    @Test
    void aTruncatedInt8WeightsFileIsNamed() throws IOException {
        Path dir = modelDir(Family.XLM_ROBERTA, ConversionOptions.defaults().withPrecision(Precision.INT8)
                .withExternalData(ExternalData.ALWAYS), "cut-data");
        Path data = dir.resolve("model.onnx_data");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length / 3));
        String message = assertThrows(ModelLoadException.class, () -> load(dir).close()).getMessage();
        assertTrue(message.contains(dir.resolve("model.onnx").toString()) && message.contains("cannot be loaded"),
                message);
    }

    /**
     * {@code models/bert-int8-quantize-dynamic.onnx}: the fp32 conversion of this class's BERT checkpoint (seed 3)
     * quantized by onnxruntime's Python {@code quantize_dynamic} (per channel, QInt8: DynamicQuantizeLinear +
     * MatMulInteger + Mul, int8 embedding Gather), as an int8 model exported elsewhere would come. It is loaded
     * through a model directory as {@code linguagate.model.path} would name it, and agrees with the fp32 model.
     */
    @Test
    void anInt8ModelQuantizedByOnnxRuntimesPythonToolLoads() throws IOException {
        Path fp32 = modelDir(Family.BERT, ConversionOptions.defaults(), "reference");
        Path dir = tmp.resolve("exported");
        Files.createDirectories(dir);
        Files.copy(fp32.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(fp32.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (InputStream in = GatewayLoadsConvertedModelTest.class.getResourceAsStream(
                "/models/bert-int8-quantize-dynamic.onnx")) {
            Files.copy(in, dir.resolve("model.onnx"));
        }
        // Noisier than the converter's int8 (measured 0.051): one scale per tensor for activations, int8
        // embedding tables and head.
        assertSameLabels(words(fp32), words(dir), "quantize_dynamic int8", 0.08);
    }
}
