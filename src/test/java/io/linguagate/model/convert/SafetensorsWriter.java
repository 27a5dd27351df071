package io.linguagate.model.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code .safetensors} files for tests and benchmarks, independently of the reader: header JSON built with
 * Jackson, padded with spaces to a multiple of 8, then the data. Values come from a {@link Values} callback in
 * chunks, so multi-hundred-megabyte files never sit on the heap.
 */
public final class SafetensorsWriter {

    /** Produces elements {@code [first, first + n)} of a tensor as floats (converted to the dtype when written). */
    @FunctionalInterface
    public interface Values {
        void fill(long first, float[] dst, int n);
    }

    /** One tensor to write. */
    public record Spec(String name, Dtype dtype, long[] shape, Values values) {

        long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final int CHUNK = 1 << 16;

    private final List<Spec> specs = new ArrayList<>();
    private Map<String, String> metadata = Map.of("format", "pt");

    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, Values values) {
        specs.add(new Spec(name, dtype, shape.clone(), values));
        return this;
    }

    /** A tensor from an array (row-major). */
    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, float[] values) {
        return add(name, dtype, shape, (first, dst, n) -> System.arraycopy(values, (int) first, dst, 0, n));
    }

    public SafetensorsWriter metadata(Map<String, String> m) {
        this.metadata = m;
        return this;
    }

    /** The header JSON as the writer would produce it (before padding). */
    public String headerJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (metadata != null) {
            ObjectNode meta = root.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Spec s : specs) {
            ObjectNode t = root.putObject(s.name());
            t.put("dtype", s.dtype().name());
            var shape = t.putArray("shape");
            for (long d : s.shape()) {
                shape.add(d);
            }
            long bytes = s.elements() * s.dtype().bytes();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        try {
            return json.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file. */
    public Path write(Path file) {
        byte[] header = headerJson().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(padded);
            buf.put(header);
            for (int i = header.length; i < padded; i++) {
                buf.put((byte) ' ');
            }
            float[] chunk = new float[CHUNK];
            for (Spec s : specs) {
                long total = s.elements();
                for (long done = 0; done < total;) {
                    int n = (int) Math.min(CHUNK, total - done);
                    s.values().fill(done, chunk, n);
                    for (int i = 0; i < n; i++) {
                        if (buf.remaining() < 8) {
                            drain(ch, buf);
                        }
                        put(buf, s.dtype(), chunk[i]);
                    }
                    done += n;
                }
            }
            drain(ch, buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void put(ByteBuffer buf, Dtype dtype, float v) {
        switch (dtype) {
            case F32 -> buf.putFloat(v);
            case F64 -> buf.putDouble(v);
            case F16 -> buf.putShort(Float.floatToFloat16(v));
            case BF16 -> buf.putShort((short) (bf16Bits(v) >>> 16));
            case I64 -> buf.putLong((long) v);
            case I32 -> buf.putInt((int) v);
            default -> throw new IllegalArgumentException(dtype.name());
        }
    }

    /** float32 bits rounded to the nearest bfloat16 (ties to even), in the upper 16 bits. */
    static int bf16Bits(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (bits + rounding) & 0xFFFF0000;
    }

    /** {@code v} as the stored {@code dtype} reads back. */
    static float roundTo(Dtype dtype, float v) {
        return switch (dtype) {
            case F32, F64 -> v;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(v));
            case BF16 -> Float.intBitsToFloat(bf16Bits(v));
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
