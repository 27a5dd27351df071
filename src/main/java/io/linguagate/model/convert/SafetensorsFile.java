package io.linguagate.model.convert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .safetensors} file, read in place: an 8-byte little-endian header length {@code N}, {@code N} bytes of
 * JSON ({@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}), then the raw
 * little-endian tensor data, offsets counted from the end of the header.
 *
 * <p>Opening reads and checks the header only; the data region is memory-mapped, not copied onto the heap. A file
 * over 2 GiB is mapped as several windows, each holding whole tensors (so a single tensor must stay under 2 GiB,
 * which the largest LLMLingua-2 tensor, XLM-R large's 1 GB word embedding, does). Floating-point tensors
 * ({@code F32}, {@code F16}, {@code BF16}, {@code F64}) are read as float32.
 *
 * <p>Every problem with the file (truncated, header not JSON, offsets outside the data or not matching the shape,
 * overlapping tensors) is a {@link ModelLoadException} naming the file and what is wrong.
 *
 * <p>Closing closes the file channel. Mapped buffers already handed out stay readable until garbage-collected
 * (Java cannot unmap explicitly); on Linux that does not keep the file from being replaced or deleted.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The reference implementation refuses headers above 100 MB; so do we (a sane one is a few tens of KB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** Largest mapping: just under 2 GiB, a Java buffer's limit. */
    static final long MAX_WINDOW_BYTES = Integer.MAX_VALUE - 8;
    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Elements converted per step when reading non-float32 data. */
    private static final int CHUNK = 1 << 16;

    /** Element types of the safetensors format, with their size in bytes. */
    public enum Dtype {
        BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
        F64(8), I64(8), U64(8);

        private final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        /** Size of one element in bytes. */
        public int bytes() {
            return bytes;
        }

        /** Whether this reader converts it to float32: F32, F16, BF16 and F64. */
        public boolean readableAsFloat() {
            return this == F32 || this == F16 || this == BF16 || this == F64;
        }
    }

    /**
     * One tensor's header entry.
     *
     * @param name  its key in the header
     * @param dtype element type
     * @param shape dimensions (empty for a scalar)
     * @param begin first byte, relative to the data region
     * @param end   one past the last byte, relative to the data region
     */
    public record Tensor(String name, Dtype dtype, long[] shape, long begin, long end) {

        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Number of elements (product of the shape; 1 for a scalar). */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** Size of the data in bytes. */
        public long byteSize() {
            return end - begin;
        }

        /** The shape as {@code [a, b]}. */
        public String shapeString() {
            return Arrays.toString(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                    && begin == t.begin && end == t.end;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Long.hashCode(begin);
        }

        @Override
        public String toString() {
            return name + " " + dtype + shapeString();
        }
    }

    /** A mapped part of the data region, [start, start + size) relative to the data region. */
    private static final class Window {
        final long start;
        final long size;
        MappedByteBuffer buffer;

        Window(long start, long size) {
            this.start = start;
            this.size = size;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final long dataSize;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final Map<String, Window> windowOf;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, long dataSize, Map<String, Tensor> tensors,
            Map<String, String> metadata, Map<String, Window> windowOf) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dataSize = dataSize;
        this.tensors = tensors;
        this.metadata = metadata;
        this.windowOf = windowOf;
    }

    /** Opens {@code file} and checks its header against the file's size. */
    public static SafetensorsFile open(Path file) {
        return open(file, MAX_WINDOW_BYTES);
    }

    /** As {@link #open(Path)}, with mappings of at most {@code maxWindowBytes} (tests use small ones). */
    static SafetensorsFile open(Path file, long maxWindowBytes) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("Missing " + file);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot open " + file + ": " + e);
        }
        try {
            return read(file, channel, maxWindowBytes);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsFile read(Path file, FileChannel channel, long maxWindowBytes) {
        long fileSize;
        ByteBuffer headerBytes;
        long headerLength;
        try {
            fileSize = channel.size();
            if (fileSize < 8) {
                throw new ModelLoadException(file + " is not a safetensors file: " + fileSize
                        + " bytes, shorter than the 8-byte header length (empty or truncated download?)");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, prefix, 0);
            headerLength = prefix.flip().getLong();
            if (headerLength <= 1 || headerLength > MAX_HEADER_BYTES) {
                throw new ModelLoadException(file + " is not a safetensors file: its header length field says "
                        + Long.toUnsignedString(headerLength) + " bytes (a valid header is 2 bytes to "
                        + MAX_HEADER_BYTES + " bytes)");
            }
            if (8 + headerLength > fileSize) {
                throw new ModelLoadException(file + " is truncated: its header needs " + headerLength
                        + " bytes after the 8-byte length but the file has only " + (fileSize - 8));
            }
            headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e);
        }
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        JsonNode header;
        try {
            header = JSON.readTree(headerBytes.array());
        } catch (IOException e) {
            throw new ModelLoadException(file + " has a corrupt header: not valid JSON (" + firstLine(e.getMessage())
                    + ")");
        }
        if (header == null || !header.isObject()) {
            throw new ModelLoadException(file + " has a corrupt header: expected a JSON object of tensors, found "
                    + (header == null ? "nothing" : header.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Tensor> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals(METADATA)) {
                readMetadata(file, entry.getValue(), metadata);
            } else {
                list.add(tensor(file, entry.getKey(), entry.getValue(), dataSize));
            }
        }
        list.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
        Tensor previous = null;
        for (Tensor t : list) {
            if (previous != null && t.begin() < previous.end()) {
                throw new ModelLoadException(file + " has a corrupt header: tensors \"" + previous.name() + "\" (bytes "
                        + previous.begin() + ".." + previous.end() + ") and \"" + t.name() + "\" (bytes " + t.begin()
                        + ".." + t.end() + ") overlap");
            }
            if (t.byteSize() > 0) {
                previous = t;
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Tensor t : list) {
            tensors.put(t.name(), t);
        }
        return new SafetensorsFile(file, channel, dataStart, dataSize, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata), windows(file, list, maxWindowBytes));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new ModelLoadException(file + " has a corrupt header: \"" + METADATA + "\" must be an object of "
                    + "strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelLoadException(file + " has a corrupt header: \"" + METADATA + "\"." + e.getKey()
                        + " must be a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Tensor tensor(Path file, String name, JsonNode node, long dataSize) {
        String where = file + " has a corrupt header: tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new ModelLoadException(where + " must be an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new ModelLoadException(where + " has no \"dtype\" string");
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(where + " has an unknown dtype \"" + dtypeNode.textValue() + "\"");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelLoadException(where + " has no \"shape\" array");
        }
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new ModelLoadException(where + " has an invalid shape " + shapeNode + " (dimensions must be "
                        + "non-negative integers)");
            }
            shape[i] = d.longValue();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelLoadException(where + " has an impossibly large shape " + shapeNode);
            }
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelLoadException(where + " needs \"data_offsets\": [begin, end] as two integers, found "
                    + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new ModelLoadException(where + " has invalid data_offsets [" + begin + ", " + end + "]");
        }
        long expected;
        try {
            expected = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw new ModelLoadException(where + " has an impossibly large shape " + shapeNode);
        }
        if (end - begin != expected) {
            throw new ModelLoadException(where + " has data_offsets [" + begin + ", " + end + "] (" + (end - begin)
                    + " bytes) but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected + " bytes");
        }
        if (end > dataSize) {
            throw new ModelLoadException(file + " is truncated or corrupt: tensor \"" + name + "\" has data_offsets ["
                    + begin + ", " + end + "], out of range: the data region after the header has only " + dataSize
                    + " bytes");
        }
        return new Tensor(name, dtype, shape, begin, end);
    }

    /** Groups tensors (sorted by offset) into windows under 2 GiB, each holding whole tensors. */
    private static Map<String, Window> windows(Path file, List<Tensor> sorted, long max) {
        Map<String, Window> windowOf = new LinkedHashMap<>();
        List<Tensor> pending = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Tensor t : sorted) {
            if (t.byteSize() > max) {
                throw new ModelLoadException(file + ": tensor \"" + t.name() + "\" is " + t.byteSize()
                        + " bytes; tensors over " + (max == MAX_WINDOW_BYTES ? "2 GiB" : max + " bytes")
                        + " are not supported");
            }
            if (start >= 0 && t.end() - start > max) {
                Window w = new Window(start, end - start);
                pending.forEach(p -> windowOf.put(p.name(), w));
                pending.clear();
                start = -1;
            }
            if (start < 0) {
                start = t.begin();
                end = t.end();
            }
            end = Math.max(end, t.end());
            pending.add(t);
        }
        if (!pending.isEmpty()) {
            Window w = new Window(start, end - start);
            pending.forEach(p -> windowOf.put(p.name(), w));
        }
        return windowOf;
    }

    /** Number of separate mappings the data region is split into (tests). */
    int windowCount() {
        return (int) windowOf.values().stream().distinct().count();
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** Bytes of tensor data after the header. */
    public long dataSize() {
        return dataSize;
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors, in the order of their data. */
    public Collection<Tensor> tensors() {
        return tensors.values();
    }

    /** The tensor called {@code name}, if the file has one. */
    public Optional<Tensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * The raw little-endian bytes of {@code tensor}: a read-only slice of the mapping (no copy), positioned at 0
     * with {@code remaining() == tensor.byteSize()}.
     */
    public ByteBuffer rawBytes(Tensor tensor) {
        Window w = window(tensor);
        int offset = (int) (tensor.begin() - w.start);
        return w.buffer.slice(offset, (int) tensor.byteSize()).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The whole tensor as float32 (a heap copy: for tensors that fit in an array). */
    public float[] floats(Tensor tensor) {
        long n = tensor.elements();
        if (n > Integer.MAX_VALUE - 8) {
            throw new ModelLoadException(file + ": tensor \"" + tensor.name() + "\" has " + n
                    + " elements, too many to read into one array");
        }
        float[] out = new float[(int) n];
        floats(tensor, 0, out, 0, out.length);
        return out;
    }

    /**
     * Reads elements {@code [first, first + length)} of {@code tensor} (row-major) as float32 into {@code dst}.
     *
     * @throws ModelLoadException when the tensor is not a floating-point type this reader converts
     */
    public void floats(Tensor tensor, long first, float[] dst, int offset, int length) {
        if (!tensor.dtype().readableAsFloat()) {
            throw new ModelLoadException(file + ": tensor \"" + tensor.name() + "\" has dtype " + tensor.dtype()
                    + "; only F32, F16, BF16 and F64 weights can be converted");
        }
        if (first < 0 || length < 0 || first + length > tensor.elements()) {
            throw new IndexOutOfBoundsException("elements " + first + ".." + (first + length) + " of " + tensor);
        }
        ByteBuffer bytes = rawBytes(tensor);
        int size = tensor.dtype().bytes();
        bytes.position((int) (first * size));
        switch (tensor.dtype()) {
            case F32 -> {
                FloatBuffer f = bytes.asFloatBuffer();
                f.get(dst, offset, length);
            }
            case F64 -> {
                for (int i = 0; i < length; i++) {
                    dst[offset + i] = (float) bytes.getDouble();
                }
            }
            case F16, BF16 -> {
                ShortBuffer s = bytes.asShortBuffer();
                short[] chunk = new short[Math.min(CHUNK, Math.max(length, 1))];
                boolean half = tensor.dtype() == Dtype.F16;
                for (int done = 0; done < length;) {
                    int n = Math.min(chunk.length, length - done);
                    s.get(chunk, 0, n);
                    for (int i = 0; i < n; i++) {
                        dst[offset + done + i] = half ? Float.float16ToFloat(chunk[i])
                                : Float.intBitsToFloat((chunk[i] & 0xffff) << 16);
                    }
                    done += n;
                }
            }
            default -> throw new IllegalStateException(tensor.dtype().name());
        }
    }

    private Window window(Tensor tensor) {
        Window w = windowOf.get(tensor.name());
        if (w == null || !tensor.equals(tensors.get(tensor.name()))) {
            throw new IllegalArgumentException(tensor + " is not a tensor of " + file);
        }
        synchronized (w) {
            if (w.buffer == null) {
                try {
                    w.buffer = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + w.start, w.size);
                } catch (IOException e) {
                    throw new ModelLoadException("Cannot map " + file + " into memory: " + e);
                }
            }
            return w;
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing is lost.
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
