package io.linguagate.testmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that {@link TinyClassifierOnnx} models load and run in ONNX Runtime as documented. */
class TinyClassifierOnnxTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @Test
    void bertShapedModelDeclaresAndKeepsAllInputs() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(20).build();
        try (OrtSession s = ENV.createSession(model.writeTo(dir).toString())) {
            assertEquals(Set.of("input_ids", "attention_mask", "token_type_ids"), s.getInputNames());
            for (NodeInfo in : s.getInputInfo().values()) {
                TensorInfo t = (TensorInfo) in.getInfo();
                assertEquals(OnnxJavaType.INT64, t.type);
                assertArrayEquals(new long[] {-1, -1}, t.getShape());
                assertArrayEquals(new String[] {"batch", "seq"}, t.getDimensionNames());
            }
            TensorInfo out = (TensorInfo) s.getOutputInfo().get("logits").getInfo();
            assertEquals(OnnxJavaType.FLOAT, out.type);
            assertArrayEquals(new long[] {-1, -1, 2}, out.getShape());
        }
    }

    @Test
    void xlmrShapedModelHasNoTokenTypeIds() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(20).tokenTypeIds(false).build();
        try (OrtSession s = ENV.createSession(model.toBytes())) {
            assertEquals(Set.of("input_ids", "attention_mask"), s.getInputNames());
        }
    }

    @Test
    void paddedBatchOfTwoGivesTableProbabilities() throws Exception {
        double[] p = {0.5, 0.01, 0.99, 0.25, 0.75, 0.9, 0.1, 0.6};
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(p.length).keepProbabilities(p).build();
        long[][] ids = {{2, 3, 4, 5}, {6, 7, 0, 0}};
        long[][] mask = {{1, 1, 1, 1}, {1, 1, 0, 0}};
        float[][][] logits = run(model, ids, mask);
        assertEquals(2, logits.length);
        for (int b = 0; b < 2; b++) {
            assertEquals(4, logits[b].length);
            for (int t = 0; t < 4; t++) {
                int id = (int) ids[b][t];
                double keep = softmax1(logits[b][t]);
                assertEquals(p[id], keep, 1e-5, "batch " + b + " token " + t);
                assertEquals(model.keepProbability(id), keep, 1e-6);
            }
        }
    }

    @Test
    void protoRoundTripsWithProtobuf4() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(10).build();
        ModelProto proto = model.toProto();
        ModelProto parsed = ModelProto.parseFrom(model.toBytes());
        assertEquals(proto, parsed);
        assertTrue(parsed.toString().contains("op_type: \"Gather\""));
        assertEquals(10 * 2 * Float.BYTES, parsed.getGraph().getInitializer(0).getRawData().size());
        assertEquals(List.of(10L, 2L), parsed.getGraph().getInitializer(0).getDimsList());
    }

    @Test
    void threeLabelVariantDeclaresLastDimThree() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(10).labels(3).build();
        try (OrtSession s = ENV.createSession(model.toBytes())) {
            TensorInfo out = (TensorInfo) s.getOutputInfo().get("logits").getInfo();
            assertArrayEquals(new long[] {-1, -1, 3}, out.getShape());
        }
        assertEquals(3, run(model, new long[][] {{1, 2}}, new long[][] {{1, 1}})[0][0].length);
    }

    @Test
    void rank2VariantFlattensTokens() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(10).rank2Output().build();
        try (OrtSession s = ENV.createSession(model.toBytes())) {
            TensorInfo out = (TensorInfo) s.getOutputInfo().get("logits").getInfo();
            assertArrayEquals(new long[] {-1, 2}, out.getShape());
            assertArrayEquals(new String[] {"tokens", ""}, out.getDimensionNames());
            Map<String, OnnxTensor> in = inputs(s, new long[][] {{1, 2, 3}}, new long[][] {{1, 1, 1}});
            try (OrtSession.Result r = s.run(in)) {
                float[][] flat = (float[][]) r.get(0).getValue();
                assertEquals(3, flat.length);
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void idBeyondTableRowsFailsTheRun() throws Exception {
        TinyClassifierOnnx model = TinyClassifierOnnx.builder(10).tableRows(6).build();
        assertEquals(6, model.tableRows());
        run(model, new long[][] {{0, 5}}, new long[][] {{1, 1}});
        OrtException e = assertThrows(OrtException.class,
                () -> run(model, new long[][] {{0, 6}}, new long[][] {{1, 1}}));
        assertEquals(OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT, e.getCode());
        assertTrue(e.getMessage().contains("indices element out of data bounds, idx=6"), e.getMessage());
    }

    /** Runs one batch; FATAL log level keeps the expected Gather failure off stderr. */
    static float[][][] run(TinyClassifierOnnx model, long[][] ids, long[][] mask) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession s = createQuiet(model, opts)) {
            Map<String, OnnxTensor> in = inputs(s, ids, mask);
            try (OrtSession.Result r = s.run(in)) {
                return (float[][][]) r.get("logits").orElseThrow().getValue();
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static OrtSession createQuiet(TinyClassifierOnnx model, OrtSession.SessionOptions opts)
            throws OrtException {
        opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return ENV.createSession(model.toBytes(), opts);
    }

    static Map<String, OnnxTensor> inputs(OrtSession s, long[][] ids, long[][] mask) throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", OnnxTensor.createTensor(ENV, ids));
        in.put("attention_mask", OnnxTensor.createTensor(ENV, mask));
        if (s.getInputNames().contains("token_type_ids")) {
            in.put("token_type_ids", OnnxTensor.createTensor(ENV, new long[ids.length][ids[0].length]));
        }
        return in;
    }

    static double softmax1(float[] row) {
        double max = Math.max(row[0], row[1]);
        double e0 = Math.exp(row[0] - max);
        double e1 = Math.exp(row[1] - max);
        return e1 / (e0 + e1);
    }
}
