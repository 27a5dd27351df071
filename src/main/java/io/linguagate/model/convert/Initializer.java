package io.linguagate.model.convert;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * A graph initializer whose bytes are produced only while the model file is written, one initializer at a time,
 * so the converter never holds all weights on the heap: checkpoint tensors stream from the memory-mapped
 * safetensors file; transposed or packed matrices are computed just before they are written and dropped after.
 */
abstract class Initializer {

    private final String name;
    private final DataType type;
    private final long[] dims;

    private Initializer(String name, DataType type, long[] dims) {
        this.name = name;
        this.type = type;
        this.dims = dims.clone();
    }

    /** Floats of {@code weight} as stored (same shape), converted to {@code type} (FLOAT or FLOAT16). */
    static Initializer checkpoint(String name, Checkpoint.Weight weight, DataType type) {
        return new FromCheckpoint(name, weight, type);
    }

    /** Floats computed on demand (a transposed or packed weight), of {@code type} FLOAT or FLOAT16. */
    static Initializer computed(String name, DataType type, long[] dims, Supplier<float[]> values) {
        return new Computed(name, type, dims, values);
    }

    /** A small float constant. */
    static Initializer constant(String name, DataType type, long[] dims, float... values) {
        float[] copy = values.clone();
        return new Computed(name, type, dims, () -> copy);
    }

    /** Bytes computed on demand (int8 weights, zero points): {@code type} INT8, one byte per element. */
    static Initializer int8(String name, long[] dims, Supplier<byte[]> values) {
        return new Bytes(name, DataType.INT8, dims, values);
    }

    /** A small uint8 constant (an activation zero point). */
    static Initializer uint8(String name, long[] dims, byte... values) {
        byte[] copy = values.clone();
        return new Bytes(name, DataType.UINT8, dims, () -> copy);
    }

    /** A small int64 constant (axes, shapes, indices). */
    static Initializer int64(String name, long[] dims, long... values) {
        return new Int64(name, dims, values.clone());
    }

    String name() {
        return name;
    }

    DataType type() {
        return type;
    }

    long[] dims() {
        return dims.clone();
    }

    long elements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Size of the data as written. */
    long byteLength() {
        int size = switch (type) {
            case FLOAT -> 4;
            case FLOAT16 -> 2;
            case INT64 -> 8;
            case INT8, UINT8 -> 1;
            default -> throw new IllegalStateException(type.name());
        };
        return elements() * size;
    }

    /** Writes exactly {@link #byteLength()} bytes. */
    abstract void writeTo(ByteSink sink) throws IOException;

    private static final class FromCheckpoint extends Initializer {
        /** Elements converted per step: bounded heap however large the tensor. */
        private static final int CHUNK = 1 << 18;
        private final Checkpoint.Weight weight;

        FromCheckpoint(String name, Checkpoint.Weight weight, DataType type) {
            super(name, type, weight.tensor().shape());
            this.weight = weight;
        }

        @Override
        void writeTo(ByteSink sink) throws IOException {
            SafetensorsFile.Tensor t = weight.tensor();
            if (type() == DataType.FLOAT && t.dtype() == SafetensorsFile.Dtype.F32) {
                ByteBuffer raw = weight.file().rawBytes(t);
                sink.write(raw);
                return;
            }
            long total = t.elements();
            float[] chunk = new float[(int) Math.min(CHUNK, Math.max(total, 1))];
            for (long done = 0; done < total;) {
                int n = (int) Math.min(chunk.length, total - done);
                weight.file().floats(t, done, chunk, 0, n);
                sink.writeFloats(chunk, 0, n, type() == DataType.FLOAT16);
                done += n;
            }
        }
    }

    private static final class Computed extends Initializer {
        private final Supplier<float[]> values;

        Computed(String name, DataType type, long[] dims, Supplier<float[]> values) {
            super(name, type, dims);
            if (type != DataType.FLOAT && type != DataType.FLOAT16) {
                throw new IllegalArgumentException(type.name());
            }
            this.values = values;
        }

        @Override
        void writeTo(ByteSink sink) throws IOException {
            float[] v = values.get();
            if (v.length != elements()) {
                throw new IllegalStateException(name() + ": computed " + v.length + " values for " + elements()
                        + " elements");
            }
            sink.writeFloats(v, 0, v.length, type() == DataType.FLOAT16);
        }
    }

    private static final class Bytes extends Initializer {
        private final Supplier<byte[]> values;

        Bytes(String name, DataType type, long[] dims, Supplier<byte[]> values) {
            super(name, type, dims);
            this.values = values;
        }

        @Override
        void writeTo(ByteSink sink) throws IOException {
            byte[] v = values.get();
            if (v.length != elements()) {
                throw new IllegalStateException(name() + ": computed " + v.length + " values for " + elements()
                        + " elements");
            }
            sink.write(v);
        }
    }

    private static final class Int64 extends Initializer {
        private final long[] values;

        Int64(String name, long[] dims, long[] values) {
            super(name, DataType.INT64, dims);
            this.values = values;
            if (values.length != elements()) {
                throw new IllegalArgumentException(name + ": " + values.length + " values for dims of "
                        + elements());
            }
        }

        @Override
        void writeTo(ByteSink sink) throws IOException {
            sink.writeLongs(values);
        }
    }
}
