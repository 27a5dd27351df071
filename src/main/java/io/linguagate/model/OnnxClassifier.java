package io.linguagate.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.linguagate.lingua.KeepProbabilityModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The token classifier in an ONNX Runtime session. One call runs one batch: chunks framed as
 * {@code [CLS] chunk [SEP]}, padded to the longest chunk of the call (not to 512) with an attention mask, and the
 * keep probability {@code softmax(logits)[..., 1]} of every real token returned. The session is thread-safe; a
 * semaphore bounds how many inferences run at once so CPU threads are not oversubscribed.
 */
final class OnnxClassifier implements KeepProbabilityModel, AutoCloseable {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LOGITS = "logits";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final SequenceIds frame;
    private final boolean tokenTypeIds;
    private final String output;
    private final Semaphore permits;

    private OnnxClassifier(OrtEnvironment env, OrtSession session, SequenceIds frame, boolean tokenTypeIds,
            String output, int concurrentInferences) {
        this.env = env;
        this.session = session;
        this.frame = frame;
        this.tokenTypeIds = tokenTypeIds;
        this.output = output;
        this.permits = new Semaphore(concurrentInferences, true);
    }

    /**
     * Wraps {@code session}, checking its inputs and output against what a token classifier must have. Takes
     * ownership of the session (closes it on failure).
     */
    static OnnxClassifier of(OrtEnvironment env, OrtSession session, Path file, SequenceIds frame,
            int concurrentInferences) {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            for (var input : inputs.entrySet()) {
                String name = input.getKey();
                if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !name.equals(TOKEN_TYPE_IDS)) {
                    throw new ModelLoadException(file + " has an input \"" + name + "\" we cannot feed; a token "
                            + "classifier takes input_ids, attention_mask and optionally token_type_ids");
                }
                requireInt64(file, input.getValue());
            }
            if (!inputs.containsKey(INPUT_IDS) || !inputs.containsKey(ATTENTION_MASK)) {
                throw new ModelLoadException(file + " must take input_ids and attention_mask; its inputs are "
                        + inputs.keySet());
            }
            String output = outputName(file, session.getOutputInfo());
            return new OnnxClassifier(env, session, frame, inputs.containsKey(TOKEN_TYPE_IDS), output,
                    concurrentInferences);
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof ModelLoadException m) {
                throw m;
            }
            throw new ModelLoadException(file + " cannot be inspected by ONNX Runtime: " + e.getMessage());
        }
    }

    private static void requireInt64(Path file, NodeInfo input) {
        if (!(input.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64
                || tensor.getShape().length != 2) {
            throw new ModelLoadException(file + ": input \"" + input.getName() + "\" must be an int64 tensor "
                    + "[batch, sequence], found " + input.getInfo());
        }
    }

    /** The logits output: named {@code logits}, or the only output; shape [batch, sequence, 2]. */
    private static String outputName(Path file, Map<String, NodeInfo> outputs) {
        NodeInfo logits = outputs.containsKey(LOGITS) ? outputs.get(LOGITS)
                : outputs.size() == 1 ? outputs.values().iterator().next() : null;
        if (logits == null) {
            throw new ModelLoadException(file + " has outputs " + outputs.keySet()
                    + " but none named \"logits\"; export the model with its token-classification head");
        }
        if (!(logits.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
            throw new ModelLoadException(file + ": output \"" + logits.getName() + "\" must be a float tensor, found "
                    + logits.getInfo());
        }
        long[] shape = tensor.getShape();
        if (shape.length != 3 || (shape[2] != 2 && shape[2] >= 0)) {
            throw new ModelLoadException(file + ": output \"" + logits.getName() + "\" has shape "
                    + Arrays.toString(shape) + "; a 2-class token classifier gives [batch, sequence, 2] "
                    + "(is this the base encoder without its classification head?)");
        }
        return logits.getName();
    }

    @Override
    public List<float[]> keepProbabilities(List<int[]> chunks) {
        int batch = chunks.size();
        int longest = 0;
        for (int[] chunk : chunks) {
            longest = Math.max(longest, chunk.length);
        }
        int seq = longest + 2;
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        Arrays.fill(ids, frame.pad());
        for (int b = 0; b < batch; b++) {
            int[] chunk = chunks.get(b);
            int row = b * seq;
            ids[row] = frame.begin();
            for (int t = 0; t < chunk.length; t++) {
                ids[row + 1 + t] = chunk[t];
            }
            ids[row + 1 + chunk.length] = frame.end();
            Arrays.fill(mask, row, row + chunk.length + 2, 1L);
        }
        float[] logits = run(ids, mask, new long[] {batch, seq});
        List<float[]> probabilities = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            int[] chunk = chunks.get(b);
            float[] keep = new float[chunk.length];
            int base = (b * seq + 1) * 2;
            for (int t = 0; t < chunk.length; t++) {
                float drop = logits[base + 2 * t];
                float kept = logits[base + 2 * t + 1];
                keep[t] = (float) (1.0 / (1.0 + Math.exp((double) drop - kept)));
            }
            probabilities.add(keep);
        }
        return probabilities;
    }

    private float[] run(long[] ids, long[] mask, long[] shape) {
        Map<String, OnnxTensor> feed = new HashMap<>(4);
        permits.acquireUninterruptibly();
        try {
            feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (tokenTypeIds) {
                feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape));
            }
            try (OrtSession.Result result = session.run(feed)) {
                OnnxValue value = result.get(output).orElseThrow();
                long[] got = ((TensorInfo) value.getInfo()).getShape();
                if (got.length != 3 || got[0] != shape[0] || got[1] != shape[1] || got[2] != 2) {
                    throw new InferenceException("the model returned logits of shape " + Arrays.toString(got)
                            + " for input " + Arrays.toString(shape) + "; expected [batch, sequence, 2]");
                }
                FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
                float[] logits = new float[buffer.remaining()];
                buffer.get(logits);
                return logits;
            }
        } catch (OrtException e) {
            throw new InferenceException("ONNX Runtime failed: " + e.getMessage());
        } finally {
            feed.values().forEach(OnnxTensor::close);
            permits.release();
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException | RuntimeException ignored) {
            // Shutting down or already failed: nothing left to do with it.
        }
    }
}
