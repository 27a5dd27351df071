package io.linguagate.lingua;

import java.util.List;

/**
 * The token classifier. Implemented by the model layer (ONNX Runtime); faked in tests.
 *
 * <p>Each chunk holds at most {@link Llmlingua2Compressor#MAX_CHUNK_TOKENS} token ids, without
 * CLS/SEP. The implementation wraps each chunk as {@code [CLS] chunk [SEP]} (XLM-R:
 * {@code <s> chunk </s>}), pads to the longest chunk of the call with an attention mask, runs one
 * batch, and returns softmax(logits)[..., 1] of the real tokens. The compressor never passes more
 * chunks than its maximum batch size in one call.
 */
@FunctionalInterface
public interface KeepProbabilityModel {

    /**
     * @param chunks token ids per chunk, never empty, never containing special tokens added by the compressor
     * @return per chunk, the keep probability of each of its tokens (same order, same length)
     */
    List<float[]> keepProbabilities(List<int[]> chunks);
}
