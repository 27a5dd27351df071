package io.linguagate.model.convert;

import java.util.Objects;

/**
 * How {@link CheckpointConverter} writes the ONNX graph.
 *
 * @param precision    float32 (default), float16, or int8 weights; inputs stay int64, logits float32
 * @param fused        fp32 and fp16 only: use ONNX Runtime's contrib operators (com.microsoft Attention,
 *                     SkipLayerNormalization, BiasGelu) instead of standard ONNX ops; the graph then runs only on
 *                     ONNX Runtime (an int8 graph always does: MatMulIntegerToFloat is a contrib op)
 * @param externalData whether weights go into {@code <model>.onnx_data} next to the model file
 */
public record ConversionOptions(Precision precision, boolean fused, ExternalData externalData) {

    /** Element type of weights and activations. */
    public enum Precision {
        FP32,
        /** Half the size; on CPU ONNX Runtime computes most ops in float32 anyway (casts inserted). */
        FP16,
        /**
         * For CPUs: the encoder's Linear weights (Q/K/V, attention output, FFN in and out) int8, symmetric per output
         * channel; their inputs quantized per token at run time (QuantizeLinear, then ONNX Runtime's com.microsoft
         * MatMulIntegerToFloat); the word-embedding table float16; LayerNorms, position and type embeddings and the
         * classifier head float32. Standard layout only (not {@code fused}).
         */
        INT8
    }

    /** Where weights are stored. */
    public enum ExternalData {
        /** Inline when the model fits protobuf's 2 GiB limit, else external (XLM-R large in fp32). */
        AUTO,
        /** Always in {@code <model>.onnx_data} (tensors of 1 KiB and more). */
        ALWAYS,
        /** Always inline; models over the limit fail. */
        NEVER
    }

    public ConversionOptions {
        Objects.requireNonNull(precision, "precision");
        Objects.requireNonNull(externalData, "externalData");
        if (precision == Precision.INT8 && fused) {
            throw new IllegalArgumentException("int8 is written with standard ops and MatMulIntegerToFloat; "
                    + "fused applies to fp32 and fp16 only");
        }
    }

    /** fp32, standard ONNX ops, external data only when needed. */
    public static ConversionOptions defaults() {
        return new ConversionOptions(Precision.FP32, false, ExternalData.AUTO);
    }

    public ConversionOptions withPrecision(Precision p) {
        return new ConversionOptions(p, fused, externalData);
    }

    public ConversionOptions withFused(boolean f) {
        return new ConversionOptions(precision, f, externalData);
    }

    public ConversionOptions withExternalData(ExternalData e) {
        return new ConversionOptions(precision, fused, e);
    }

    /** {@code fp32}, {@code fp16+fused}, ... for logs and metadata. */
    public String describe() {
        return precision.name().toLowerCase(java.util.Locale.ROOT) + (fused ? "+fused" : "");
    }
}
