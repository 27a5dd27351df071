package io.linguagate.model.convert;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runs a converted model in ONNX Runtime (CPU) the way the gateway feeds it. */
final class OrtRun {

    private OrtRun() {
    }

    static float[][][] logits(Path onnx, OrtSession.SessionOptions.OptLevel level, long[][] ids, long[][] mask,
            long[][] types) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "convert-test");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(onnx.toString(), options)) {
                Map<String, OnnxTensor> feed = new HashMap<>();
                try {
                    feed.put("input_ids", OnnxTensor.createTensor(env, ids));
                    feed.put("attention_mask", OnnxTensor.createTensor(env, mask));
                    if (session.getInputNames().contains("token_type_ids")) {
                        feed.put("token_type_ids", OnnxTensor.createTensor(env,
                                types != null ? types : new long[ids.length][ids[0].length]));
                    }
                    try (OrtSession.Result result = session.run(feed)) {
                        return (float[][][]) result.get("logits").orElseThrow().getValue();
                    }
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }
}
