package io.linguagate.testmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: tokenizer.json + config.json + model.onnx from {@link TinyModelDir} agree. */
class TinyModelDirTest {

    @Test
    void bertDirTokenizesAndClassifies(@TempDir Path dir) throws Exception {
        TinyClassifierOnnx model = TinyModelDir.writeBert(dir, true);
        checkDir(dir, model, "bert", 0);
    }

    @Test
    void xlmrDirTokenizesAndClassifies(@TempDir Path dir) throws Exception {
        TinyClassifierOnnx model = TinyModelDir.writeXlmRoberta(dir, true);
        checkDir(dir, model, "xlm-roberta", 1);
    }

    private static void checkDir(Path dir, TinyClassifierOnnx model, String type, int pad) throws Exception {
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
        assertEquals(type, config.get("model_type").getAsString());
        assertEquals(model.vocabSize(), config.get("vocab_size").getAsInt());
        assertEquals(pad, config.get("pad_token_id").getAsInt());
        long[] ids;
        try (HuggingFaceTokenizer t = DjlTokenizers.loadRaw(dir)) {
            Encoding e = t.encode("Hello world [NEW99]", false, false);
            ids = e.getIds();
        }
        assertEquals(model.vocabSize() - 1, ids[ids.length - 1]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(dir.resolve("model.onnx").toString())) {
            Map<String, OnnxTensor> in = new HashMap<>();
            in.put("input_ids", OnnxTensor.createTensor(env, new long[][] {ids}));
            in.put("attention_mask", OnnxTensor.createTensor(env, new long[][] {ones(ids.length)}));
            if (model.hasTokenTypeIds()) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, new long[][] {new long[ids.length]}));
            }
            assertEquals(in.keySet(), s.getInputNames());
            try (OrtSession.Result r = s.run(in)) {
                float[][] logits = ((float[][][]) r.get(0).getValue())[0];
                for (int i = 0; i < ids.length; i++) {
                    double keep = TinyClassifierOnnxTest.softmax1(logits[i]);
                    assertEquals(model.keepProbability((int) ids[i]), keep, 1e-6);
                    assertTrue(keep > 0 && keep < 1);
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
        }
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        Arrays.fill(a, 1);
        return a;
    }
}
