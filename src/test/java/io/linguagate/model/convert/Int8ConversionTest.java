package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.ConversionOptions.ExternalData;
import io.linguagate.model.convert.ConversionOptions.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Precision#INT8}: the encoder's Linear weights int8 per output channel, inputs quantized per token at run
 * time. Compared with the fp32 conversion of the same random checkpoints on the padded test batch of
 * {@link CheckpointConverterTest}: keep probabilities close, the same keep/drop label for every real token.
 */
class Int8ConversionTest {

    /**
     * Largest |p_int8 - p_fp32| allowed for a token's keep probability. Measured on these models: BERT 0.025, XLM-R
     * 0.018, with and without ORT's graph optimisations (8-bit weights and inputs through two layers whose weights
     * are N(0, 0.25), much larger than a trained model's: errors are amplified).
     */
    static final double PROBABILITY_TOLERANCE = 0.05;

    @TempDir
    Path tmp;

    private Path convert(RandomCheckpoint c, ConversionOptions options, String name) {
        Path dir = c.writeTo(tmp.resolve("ckpt-" + name));
        return CheckpointConverter.convert(dir, tmp.resolve("out-" + name).resolve("model.onnx"), options).onnx();
    }

    private static float[][][] run(Path onnx, RandomCheckpoint c, OptLevel level) throws OrtException {
        return OrtRun.logits(onnx, level, CheckpointConverterTest.ids(c), CheckpointConverterTest.mask(),
                CheckpointConverterTest.types(c));
    }

    static double keep(float[] logits) {
        return 1 / (1 + Math.exp(logits[0] - logits[1]));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void int8KeepProbabilitiesAndLabelsMatchFp32(Family family) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(family, CheckpointConverterTest.SEED);
        Path fp32 = convert(c, ConversionOptions.defaults(), "fp32-" + family);
        Path int8 = convert(c, ConversionOptions.defaults().withPrecision(Precision.INT8), "int8-" + family);
        float[][][] expected = run(fp32, c, OptLevel.ALL_OPT);
        long[][] mask = CheckpointConverterTest.mask();
        for (OptLevel level : List.of(OptLevel.NO_OPT, OptLevel.ALL_OPT)) {
            float[][][] got = run(int8, c, level);
            double worst = 0;
            int tokens = 0;
            for (int b = 0; b < mask.length; b++) {
                for (int s = 0; s < mask[b].length; s++) {
                    if (mask[b][s] == 0) {
                        continue;
                    }
                    double p = keep(expected[b][s]);
                    double q = keep(got[b][s]);
                    worst = Math.max(worst, Math.abs(p - q));
                    assertEquals(p > 0.5, q > 0.5, family + " " + level + ": label of token " + b + "/" + s
                            + " (fp32 " + p + ", int8 " + q + ")");
                    tokens++;
                }
            }
            assertEquals(14, tokens);
            assertTrue(worst <= PROBABILITY_TOLERANCE, family + " " + level + ": max |p_int8 - p_fp32| = " + worst);
            // ...and not trivially equal: the weights really are quantized.
            assertTrue(worst > 1e-6, family + " " + level + ": int8 gave exactly the fp32 probabilities");
        }
    }

    @Test
    void int8GraphStoresQuantizedWeightsAndAHalfPrecisionTable() throws IOException {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, CheckpointConverterTest.SEED);
        Path fp32 = convert(c, ConversionOptions.defaults(), "fp32");
        Path int8 = convert(c, ConversionOptions.defaults().withPrecision(Precision.INT8), "int8");
        ModelProto model = parse(int8);
        Map<String, TensorProto> inits = model.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, Function.identity()));
        // Six Linears per layer, each int8 [in, out] with a per-column float scale and an int8 zero point of 0.
        List<String> linears = List.of("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "intermediate.dense", "output.dense");
        for (int layer = 0; layer < c.layers; layer++) {
            for (String linear : linears) {
                String w = "bert.encoder.layer." + layer + "." + linear + ".weight";
                TensorProto q = inits.get(w + "_quantized");
                assertEquals(TensorProto.DataType.INT8_VALUE, q.getDataType(), w);
                long[] torch = c.shapes.get("encoder.layer." + layer + "." + linear + ".weight");
                long out = torch[0];
                assertEquals(List.of(torch[1], torch[0]), q.getDimsList(), w);
                assertEquals(List.of(out), inits.get(w + "_scale").getDimsList());
                assertEquals(TensorProto.DataType.FLOAT_VALUE, inits.get(w + "_scale").getDataType());
                TensorProto zero = inits.get(w + "_zero_point");
                assertEquals(TensorProto.DataType.INT8_VALUE, zero.getDataType());
                assertArrayEquals(new byte[(int) out], zero.getRawData().toByteArray());
                assertTrue(!inits.containsKey(w + "_transposed"), w + " is also stored as float");
            }
        }
        assertEquals(TensorProto.DataType.FLOAT16_VALUE,
                inits.get("bert.embeddings.word_embeddings.weight").getDataType());
        assertEquals(TensorProto.DataType.FLOAT_VALUE,
                inits.get("bert.embeddings.position_embeddings.weight").getDataType());
        assertEquals(TensorProto.DataType.FLOAT_VALUE, inits.get("classifier.weight_transposed").getDataType());
        long integerMatMuls = model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("MatMulIntegerToFloat")).count();
        assertEquals(6L * c.layers, integerMatMuls);
        assertTrue(model.getGraph().getNodeList().stream().filter(n -> !n.getDomain().isEmpty())
                .map(NodeProto::getOpType).allMatch("MatMulIntegerToFloat"::equals));
        assertEquals("int8", model.getMetadataPropsList().stream().filter(m -> m.getKey().equals("precision"))
                .findFirst().orElseThrow().getValue());
        // Weights: about a third of fp32 (int8 Linears; the graph itself has more nodes, a fixed cost).
        long int8Bytes = weightBytes(model);
        long fp32Bytes = weightBytes(parse(fp32));
        assertTrue(int8Bytes < fp32Bytes * 0.4, int8Bytes + " vs " + fp32Bytes);
    }

    private static long weightBytes(ModelProto model) {
        return model.getGraph().getInitializerList().stream().mapToLong(t -> t.getRawData().size()).sum();
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void int8WithExternalDataGivesTheSameLogitsAsInline(Family family) throws Exception {
        RandomCheckpoint c = RandomCheckpoint.small(family, CheckpointConverterTest.SEED);
        Path dir = c.writeTo(tmp.resolve("ckpt"));
        ConversionOptions int8 = ConversionOptions.defaults().withPrecision(Precision.INT8);
        Path inline = CheckpointConverter.convert(dir, tmp.resolve("inline/model.onnx"), int8).onnx();
        CheckpointConverter.Result external = CheckpointConverter.convert(dir, tmp.resolve("external/model.onnx"),
                int8.withExternalData(ExternalData.ALWAYS));
        Path data = external.externalData().orElseThrow();
        assertEquals(Files.size(data), external.externalDataBytes());
        ModelProto model = parse(external.onnx());
        long externalInt8 = model.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == TensorProto.DataType.INT8_VALUE
                        && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .count();
        // Every int8 matrix of 1 KiB or more (32 x 32 and larger) lives in the data file.
        assertEquals(6L * c.layers, externalInt8);
        float[][][] a = run(inline, c, OptLevel.ALL_OPT);
        float[][][] b = run(external.onnx(), c, OptLevel.ALL_OPT);
        for (int i = 0; i < a.length; i++) {
            for (int s = 0; s < a[i].length; s++) {
                assertArrayEquals(a[i][s], b[i][s], 0f, "batch " + i + " token " + s);
            }
        }
    }

    @Test
    void int8IsOnlyWrittenWithStandardOps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConversionOptions.defaults().withPrecision(Precision.INT8).withFused(true));
        assertTrue(e.getMessage().contains("fused"), e.getMessage());
        assertEquals("int8", ConversionOptions.defaults().withPrecision(Precision.INT8).describe());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The quantizer itself

    @Test
    void weightsAreQuantizedSymmetricallyPerOutputChannel() {
        // W [out = 3, in = 4]: a row with a negative extreme, a zero row, a row of tiny values.
        float[] w = {0.5f, -1.27f, 0.01f, 1.0f, 0, 0, 0, 0, 1e-4f, -2e-4f, 3e-4f, 0};
        float[] scales = Int8Weights.scales("w", w, 3, 4);
        assertEquals(1.27f / 127, scales[0], 1e-9);
        assertEquals(1f, scales[1]);
        assertEquals(3e-4f / 127, scales[2], 1e-12);
        byte[] q = new byte[12];
        Int8Weights.quantizeTransposed(w, 3, 4, scales, q, 3, 0);
        // Stored transposed, [in = 4, out = 3]: element (i, o) at i * 3 + o.
        assertEquals(-127, q[3]); // w[0][1] = -1.27 is row 0's extreme
        assertEquals(127, q[2 * 3 + 2]); // w[2][2] = 3e-4 is row 2's
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                float back = q[i * 3 + o] * scales[o];
                assertTrue(Math.abs(back - w[o * 4 + i]) <= scales[o] / 2 * 1.0001, "element " + o + "," + i);
            }
        }
        assertEquals(0, q[1] | q[4] | q[7] | q[10]);
        // Halfway values round to even; nothing leaves [-127, 127].
        assertEquals(2, Int8Weights.quantize(2.5f));
        assertEquals(-2, Int8Weights.quantize(-2.5f));
        assertEquals(127, Int8Weights.quantize(127.4f));
        assertEquals(-127, Int8Weights.quantize(-200f));
    }

    @Test
    void aNonFiniteWeightIsNamed() {
        float[] w = {0.5f, Float.NaN};
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> Int8Weights.scales("bert.encoder.layer.0.output.dense.weight", w, 1, 2));
        assertTrue(e.getMessage().contains("bert.encoder.layer.0.output.dense.weight")
                && e.getMessage().contains("int8"), e.getMessage());
    }

    private static ModelProto parse(Path onnx) throws IOException {
        try (InputStream in = Files.newInputStream(onnx)) {
            return ModelProto.parseFrom(in);
        }
    }
}
