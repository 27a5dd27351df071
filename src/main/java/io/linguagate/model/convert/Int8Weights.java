package io.linguagate.model.convert;

import io.linguagate.model.ModelLoadException;

/**
 * Symmetric per-output-channel int8 quantization of a Linear weight, as ONNX Runtime's int8 kernels
 * (com.microsoft MatMulIntegerToFloat, DynamicQuantizeMatMul) consume it: for PyTorch's {@code W [out, in]} each
 * output channel {@code o} gets {@code scale[o] = max_i |W[o, i]| / 127} and zero point 0, and
 * {@code q[i, o] = round(W[o, i] / scale[o])} in [-127, 127], stored transposed ({@code [in, out]}, the MatMul
 * layout). Dequantized, {@code q * scale} is within {@code scale / 2} of every weight.
 */
final class Int8Weights {

    static final int QMAX = 127;

    private Int8Weights() {
    }

    /**
     * Per-row scales of row-major {@code w [out, in]}; 1 for an all-zero row (any positive scale represents it).
     *
     * @throws ModelLoadException when a value is NaN or infinite ({@code name} says which tensor)
     */
    static float[] scales(String name, float[] w, int out, int in) {
        float[] scales = new float[out];
        for (int o = 0; o < out; o++) {
            float max = 0;
            int from = o * in;
            for (int i = 0; i < in; i++) {
                float v = w[from + i];
                if (!Float.isFinite(v)) {
                    throw new ModelLoadException("Tensor \"" + name + "\" has a non-finite value (" + v + ") at row "
                            + o + ", column " + i + "; it cannot be quantized to int8");
                }
                max = Math.max(max, Math.abs(v));
            }
            scales[o] = max == 0 ? 1f : max / QMAX;
        }
        return scales;
    }

    /**
     * Quantizes {@code w [out, in]} with {@code scales} and writes it transposed into {@code dst}: element
     * {@code (i, o)} at {@code i * dstStride + dstOffset + o}. Tiled like the float transpose.
     */
    static void quantizeTransposed(float[] w, int out, int in, float[] scales, byte[] dst, int dstStride,
            int dstOffset) {
        final int tile = 32;
        for (int o0 = 0; o0 < out; o0 += tile) {
            int o1 = Math.min(o0 + tile, out);
            for (int i0 = 0; i0 < in; i0 += tile) {
                int i1 = Math.min(i0 + tile, in);
                for (int o = o0; o < o1; o++) {
                    float inverse = 1f / scales[o];
                    int from = o * in;
                    for (int i = i0; i < i1; i++) {
                        dst[i * dstStride + dstOffset + o] = quantize(w[from + i] * inverse);
                    }
                }
            }
        }
    }

    /** Round half to even, clamped to [-127, 127]. */
    static byte quantize(float scaled) {
        float r = (float) Math.rint(scaled);
        return (byte) Math.max(-QMAX, Math.min(QMAX, r));
    }
}
