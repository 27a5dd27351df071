package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.ConversionOptions.ExternalData;
import io.linguagate.model.convert.ConversionOptions.Precision;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Converts small random-weight BERT and XLM-R checkpoints, runs them in ONNX Runtime on a padded batch and
 * compares the logits of real tokens with {@link ReferenceForward}, an independent double-precision forward pass.
 */
class CheckpointConverterTest {

    static final double FP32_TOLERANCE = 1e-4;
    /** float16 weights and activations: about 3 significant digits through two layers. */
    static final double FP16_TOLERANCE = 3e-2;
    static final long SEED = 42;

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------------------------------------------------
    // Inputs: two sequences of different lengths, right-padded, framed like the gateway frames chunks.

    static final int SEQ = 9;
    static final int SHORT = 5;

    static long[][] ids(RandomCheckpoint c) {
        long[][] ids = new long[2][SEQ];
        int begin = c.family == Family.BERT ? 2 : 0;
        int end = c.family == Family.BERT ? 3 : 2;
        long[] a = {begin, 17, 23, 8, 45, 31, 12, 49, end};
        long[] b = {begin, 44, 5, 19, end};
        System.arraycopy(a, 0, ids[0], 0, SEQ);
        System.arraycopy(b, 0, ids[1], 0, SHORT);
        for (int i = SHORT; i < SEQ; i++) {
            ids[1][i] = c.pad;
        }
        return ids;
    }

    static long[][] mask() {
        long[][] m = new long[2][SEQ];
        java.util.Arrays.fill(m[0], 1);
        java.util.Arrays.fill(m[1], 0, SHORT, 1);
        return m;
    }

    /** BERT only: the first sequence's second half is segment 1. */
    static long[][] types(RandomCheckpoint c) {
        if (c.family != Family.BERT) {
            return null;
        }
        long[][] t = new long[2][SEQ];
        for (int i = 4; i < SEQ; i++) {
            t[0][i] = 1;
        }
        return t;
    }

    private Path convert(RandomCheckpoint c, ConversionOptions options) {
        Path dir = c.writeTo(tmp.resolve("ckpt-" + c.family));
        return CheckpointConverter.convert(dir, tmp.resolve("out-" + options.describe() + "-" + c.family)
                .resolve("model.onnx"), options).onnx();
    }

    private static float[][][] run(Path onnx, RandomCheckpoint c, OptLevel level) throws OrtException {
        return OrtRun.logits(onnx, level, ids(c), mask(), types(c));
    }

    /** Largest difference over real tokens. */
    static double maxDiff(double[][][] expected, float[][][] actual, long[][] mask) {
        double max = 0;
        for (int b = 0; b < mask.length; b++) {
            for (int s = 0; s < mask[b].length; s++) {
                if (mask[b][s] == 0) {
                    continue;
                }
                for (int l = 0; l < 2; l++) {
                    double d = Math.abs(expected[b][s][l] - actual[b][s][l]);
                    if (!(d <= Double.MAX_VALUE)) {
                        return Double.POSITIVE_INFINITY;
                    }
                    max = Math.max(max, d);
                }
            }
        }
        return max;
    }

    static double[][][] toDouble(float[][][] f) {
        double[][][] d = new double[f.length][][];
        for (int b = 0; b < f.length; b++) {
            d[b] = new double[f[b].length][];
            for (int s = 0; s < f[b].length; s++) {
                d[b][s] = new double[f[b][s].length];
                for (int l = 0; l < f[b][s].length; l++) {
                    d[b][s][l] = f[b][s][l];
                }
            }
        }
        return d;
    }

    static double largestLogit(double[][][] logits) {
        double max = 0;
        for (double[][] seq : logits) {
            for (double[] tok : seq) {
                for (double v : tok) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }

    private void assertMatchesReference(RandomCheckpoint c, float[][][] actual, double tolerance, String what) {
        double[][][] expected = ReferenceForward.logits(c, ids(c), mask(), types(c));
        assertTrue(largestLogit(expected) > 0.5, "the test model's logits are too small to tell anything apart");
        double diff = maxDiff(expected, actual, mask());
        assertTrue(diff <= tolerance, what + ": max |onnx - reference| = " + diff + " > " + tolerance);
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void referenceErfIsAccurate() {
        assertEquals(0.5204998778130465, ReferenceForward.erf(0.5), 1e-14);
        assertEquals(0.8427007929497149, ReferenceForward.erf(1), 1e-14);
        assertEquals(-0.9953222650189527, ReferenceForward.erf(-2), 1e-14);
        assertEquals(0.9999779095030014, ReferenceForward.erf(3), 1e-14);
        assertEquals(0.9999999845827421, ReferenceForward.erf(4), 1e-14);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void fp32MatchesReferenceUnoptimizedAndOptimized(Family family) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path onnx = convert(c, ConversionOptions.defaults());
        assertMatchesReference(c, run(onnx, c, OptLevel.NO_OPT), FP32_TOLERANCE, family + " fp32, no ORT optimization");
        assertMatchesReference(c, run(onnx, c, OptLevel.ALL_OPT), FP32_TOLERANCE, family + " fp32, all optimizations");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void fusedGraphMatchesPlainGraphAndReference(Family family) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path plain = convert(c, ConversionOptions.defaults());
        Path fused = convert(c, ConversionOptions.defaults().withFused(true));
        assertTrue(opTypes(fused).containsAll(List.of("Attention", "SkipLayerNormalization", "BiasGelu")));
        float[][][] fusedLogits = run(fused, c, OptLevel.NO_OPT);
        double diff = maxDiff(toDouble(run(plain, c, OptLevel.NO_OPT)), fusedLogits, mask());
        assertTrue(diff <= FP32_TOLERANCE, family + ": fused vs plain differ by " + diff);
        assertMatchesReference(c, fusedLogits, FP32_TOLERANCE, family + " fused");
        assertMatchesReference(c, run(fused, c, OptLevel.ALL_OPT), FP32_TOLERANCE, family + " fused, optimized");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void fp16IsCloseToReference(Family family) throws OrtException, IOException {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path onnx = convert(c, ConversionOptions.defaults().withPrecision(Precision.FP16));
        ModelProto model = parse(onnx);
        // Inputs stay int64, logits float32; the weights are float16.
        assertEquals(TensorProto.DataType.FLOAT_VALUE, elemType(model.getGraph().getOutput(0)));
        assertTrue(model.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().endsWith("_transposed"))
                .allMatch(t -> t.getDataType() == TensorProto.DataType.FLOAT16_VALUE));
        assertMatchesReference(c, run(onnx, c, OptLevel.ALL_OPT), FP16_TOLERANCE, family + " fp16");
        // ...and about half the size of the fp32 model.
        long fp32 = Files.size(convert(c, ConversionOptions.defaults()));
        assertTrue(Files.size(onnx) < fp32 * 0.6, Files.size(onnx) + " vs " + fp32);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void fp16FusedIsCloseToReference(Family family) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path onnx = convert(c, ConversionOptions.defaults().withPrecision(Precision.FP16).withFused(true));
        assertMatchesReference(c, run(onnx, c, OptLevel.ALL_OPT), FP16_TOLERANCE, family + " fp16 fused");
    }

    @Test
    void xlmrPositionsSkipPaddingSoLeftAndRightPaddingAgree() throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(Family.XLM_ROBERTA, SEED);
        for (ConversionOptions options : List.of(ConversionOptions.defaults(),
                ConversionOptions.defaults().withFused(true))) {
            Path onnx = convert(c, options);
            long[][] right = ids(c);
            long[][] rightMask = mask();
            // The short sequence moved to the end of its row: padding first.
            long[][] left = {right[0].clone(), new long[SEQ]};
            long[][] leftMask = {rightMask[0].clone(), new long[SEQ]};
            int offset = SEQ - SHORT;
            java.util.Arrays.fill(left[1], c.pad);
            System.arraycopy(right[1], 0, left[1], offset, SHORT);
            java.util.Arrays.fill(leftMask[1], offset, SEQ, 1);

            float[][][] r = OrtRun.logits(onnx, OptLevel.ALL_OPT, right, rightMask, null);
            float[][][] l = OrtRun.logits(onnx, OptLevel.ALL_OPT, left, leftMask, null);
            for (int t = 0; t < SHORT; t++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(r[1][t][k], l[1][offset + t][k], 1e-5, options.describe() + " token " + t);
                }
            }
            double diff = maxDiff(ReferenceForward.logits(c, left, leftMask, null), l, leftMask);
            assertTrue(diff <= FP32_TOLERANCE, "left-padded vs reference: " + diff);
        }
        // Positions must really matter here, or the check above proves nothing: shifting the sequence without
        // the padding-aware numbering (pad tokens replaced by a real id) changes its logits.
        Path onnx = convert(c, ConversionOptions.defaults());
        long[][] shifted = {ids(c)[0], new long[SEQ]};
        long[][] shiftedMask = {mask()[0], new long[SEQ]};
        java.util.Arrays.fill(shifted[1], 7);
        System.arraycopy(ids(c)[1], 0, shifted[1], SEQ - SHORT, SHORT);
        java.util.Arrays.fill(shiftedMask[1], SEQ - SHORT, SEQ, 1);
        float[][][] s = OrtRun.logits(onnx, OptLevel.ALL_OPT, shifted, shiftedMask, null);
        float[][][] r = OrtRun.logits(onnx, OptLevel.ALL_OPT, ids(c), mask(), null);
        assertTrue(Math.abs(s[1][SEQ - SHORT][1] - r[1][0][1]) > 1e-3, "positions have no effect on this model");
    }

    @ParameterizedTest
    @EnumSource(value = Dtype.class, names = {"F16", "BF16"})
    void halfPrecisionCheckpointsAreReadAsFloat32(Dtype dtype) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, SEED);
        Path dir = c.writeTo(tmp.resolve("ckpt-" + dtype), dtype, true, cfg -> { }, w -> { });
        Path onnx = CheckpointConverter.convert(dir, tmp.resolve("out-" + dtype + "/model.onnx"),
                ConversionOptions.defaults()).onnx();
        // The converter reads the rounded values the file holds; the reference uses the same rounded weights.
        assertMatchesReference(c.roundedTo(dtype), run(onnx, c, OptLevel.ALL_OPT), FP32_TOLERANCE, dtype.name());
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void tensorNamesWithoutTheFamilyPrefixAreAccepted(Family family) throws OrtException {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path dir = c.writeTo(tmp.resolve("unprefixed"), Dtype.F32, false, cfg -> { }, w -> { });
        Path onnx = CheckpointConverter.convert(dir, tmp.resolve("out-unprefixed/model.onnx"),
                ConversionOptions.defaults()).onnx();
        assertMatchesReference(c, run(onnx, c, OptLevel.ALL_OPT), FP32_TOLERANCE, "unprefixed");
    }

    @Test
    void shardedCheckpointIsRead() throws Exception {
        RandomCheckpoint c = RandomCheckpoint.small(Family.XLM_ROBERTA, SEED);
        Path dir = tmp.resolve("sharded");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), c.config().toString());
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        var map = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        var weightMap = map.putObject("weight_map");
        int i = 0;
        for (var e : c.weights.entrySet()) {
            boolean one = i++ % 2 == 0;
            String name = c.storedName(e.getKey(), true);
            (one ? first : second).add(name, Dtype.F32, c.shapes.get(e.getKey()), e.getValue());
            weightMap.put(name, one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        first.write(dir.resolve("model-00001-of-00002.safetensors"));
        second.write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve(Checkpoint.SAFETENSORS_INDEX), map.toString());
        Path onnx = CheckpointConverter.convert(dir, tmp.resolve("out-sharded/model.onnx"),
                ConversionOptions.defaults()).onnx();
        assertMatchesReference(c, run(onnx, c, OptLevel.ALL_OPT), FP32_TOLERANCE, "sharded");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void externalDataIsWrittenNextToTheModelAndLoads(Family family) throws Exception {
        RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
        Path dir = c.writeTo(tmp.resolve("ckpt"));
        Path out = tmp.resolve("external").resolve("model.onnx");
        CheckpointConverter.Result result = CheckpointConverter.convert(dir, out,
                ConversionOptions.defaults().withExternalData(ExternalData.ALWAYS));
        Path data = out.resolveSibling("model.onnx_data");
        assertEquals(data, result.externalData().orElseThrow());
        assertEquals(Files.size(data), result.externalDataBytes());
        assertEquals(Files.size(out), result.onnxBytes());
        ModelProto model = parse(out);
        // Every tensor of 1 KiB or more lives in model.onnx_data (4 KiB-aligned); small constants stay inline.
        long external = 0;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            long elements = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
            long bytes = elements * (t.getDataType() == TensorProto.DataType.INT64_VALUE ? 8 : 4);
            if (bytes >= 1024) {
                assertEquals(TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
                assertTrue(t.getRawData().isEmpty(), t.getName());
                assertEquals("model.onnx_data", t.getExternalData(0).getValue());
                assertEquals("location", t.getExternalData(0).getKey());
                assertEquals(0, Long.parseLong(t.getExternalData(1).getValue()) % 4096, t.getName());
                assertEquals(bytes, Long.parseLong(t.getExternalData(2).getValue()), t.getName());
                external++;
            } else {
                assertEquals(bytes, t.getRawData().size(), t.getName());
            }
        }
        assertTrue(external > 10, "only " + external + " external tensors");
        assertEquals(List.of("model.onnx", "model.onnx_data"), listing(out.getParent()));
        assertMatchesReference(c, run(out, c, OptLevel.ALL_OPT), FP32_TOLERANCE, "external data");

        // Converting again without external data replaces the model and removes the now stale weights file.
        CheckpointConverter.Result inline = CheckpointConverter.convert(dir, out, ConversionOptions.defaults());
        assertTrue(inline.externalData().isEmpty());
        assertEquals(List.of("model.onnx"), listing(out.getParent()));
        assertMatchesReference(c, run(out, c, OptLevel.ALL_OPT), FP32_TOLERANCE, "inline after external");
    }

    @Test
    void externalDataIsChosenAutomaticallyAboveTheInlineLimit() throws Exception {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, SEED);
        Path dir = c.writeTo(tmp.resolve("ckpt"));
        // The real limit is ~2 GB (XLM-R large in fp32 crosses it); a tiny one makes this model cross it too.
        CheckpointConverter.Result auto = CheckpointConverter.convert(dir, tmp.resolve("auto/model.onnx"),
                ConversionOptions.defaults(), 50_000);
        assertTrue(auto.externalData().isPresent());
        assertMatchesReference(c, run(auto.onnx(), c, OptLevel.ALL_OPT), FP32_TOLERANCE, "auto external");
        CheckpointConverter.Result small = CheckpointConverter.convert(dir, tmp.resolve("inline/model.onnx"),
                ConversionOptions.defaults(), 10_000_000);
        assertTrue(small.externalData().isEmpty());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> CheckpointConverter.convert(dir,
                tmp.resolve("never/model.onnx"), ConversionOptions.defaults().withExternalData(ExternalData.NEVER),
                50_000));
        assertTrue(e.getMessage().contains("external data is off"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("never/model.onnx")));
    }

    @Test
    void modelDeclaresWhatTheGatewayFeeds() throws IOException {
        for (Family family : Family.values()) {
            RandomCheckpoint c = RandomCheckpoint.small(family, SEED);
            ModelProto model = parse(convert(c, ConversionOptions.defaults()));
            List<String> inputs = model.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList();
            assertEquals(family == Family.BERT ? List.of("input_ids", "attention_mask", "token_type_ids")
                    : List.of("input_ids", "attention_mask"), inputs);
            model.getGraph().getInputList().forEach(in -> assertEquals(TensorProto.DataType.INT64_VALUE,
                    elemType(in)));
            ValueInfoProto logits = model.getGraph().getOutput(0);
            assertEquals("logits", logits.getName());
            assertEquals(TensorProto.DataType.FLOAT_VALUE, elemType(logits));
            assertEquals(2, logits.getType().getTensorType().getShape().getDim(2).getDimValue());
            assertEquals("batch", logits.getType().getTensorType().getShape().getDim(0).getDimParam());
            // Standard ops only in the plain graph.
            assertTrue(model.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()));
            assertEquals(17, model.getOpsetImport(0).getVersion());
        }
    }

    @Test
    void failedConversionLeavesThePreviousModelUntouched() throws IOException {
        RandomCheckpoint c = RandomCheckpoint.small(Family.BERT, SEED);
        Path out = convert(c, ConversionOptions.defaults());
        byte[] before = Files.readAllBytes(out);
        Path broken = c.writeTo(tmp.resolve("broken"));
        byte[] file = Files.readAllBytes(broken.resolve("model.safetensors"));
        Files.write(broken.resolve("model.safetensors"), java.util.Arrays.copyOf(file, file.length / 2));
        assertThrows(ModelLoadException.class, () -> CheckpointConverter.convert(broken, out,
                ConversionOptions.defaults()));
        assertArrayEquals(before, Files.readAllBytes(out));
        assertEquals(List.of("model.onnx"), listing(out.getParent()));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static ModelProto parse(Path onnx) throws IOException {
        try (InputStream in = Files.newInputStream(onnx)) {
            return ModelProto.parseFrom(in);
        }
    }

    private static List<String> opTypes(Path onnx) {
        try {
            return parse(onnx).getGraph().getNodeList().stream().map(n -> n.getOpType()).distinct().toList();
        } catch (IOException e) {
            fail(e);
            return List.of();
        }
    }

    private static int elemType(ValueInfoProto v) {
        return v.getType().getTensorType().getElemType();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
