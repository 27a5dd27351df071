package io.linguagate.model.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.model.ModelLoadException;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading safetensors files, and every way a truncated or corrupt one is refused with a useful message. */
class SafetensorsFileTest {

    @TempDir
    Path tmp;

    private static final float[] VALUES = {0f, 1f, -2.5f, 3.140625f, 1e-3f, -65504f};

    @Test
    void readsFloatTypesAsFloat32AndKeepsMetadata() {
        Path file = new SafetensorsWriter()
                .metadata(Map.of("format", "pt", "note", "test"))
                .add("f32", Dtype.F32, new long[] {2, 3}, VALUES)
                .add("f16", Dtype.F16, new long[] {6}, VALUES)
                .add("bf16", Dtype.BF16, new long[] {3, 2}, VALUES)
                .add("f64", Dtype.F64, new long[] {6}, VALUES)
                .add("ids", Dtype.I64, new long[] {1, 6}, VALUES)
                .add("scalar", Dtype.F32, new long[0], new float[] {7f})
                .add("empty", Dtype.F32, new long[] {0, 4}, new float[0])
                .write(tmp.resolve("ok.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt", "note", "test"), f.metadata());
            assertEquals(List.of("f32", "f16", "bf16", "f64", "ids", "scalar", "empty"),
                    f.tensors().stream().map(SafetensorsFile.Tensor::name).toList());
            assertArrayEquals(VALUES, f.floats(f.tensor("f32").orElseThrow()));
            assertArrayEquals(VALUES, f.floats(f.tensor("f64").orElseThrow()));
            float[] half = f.floats(f.tensor("f16").orElseThrow());
            float[] brain = f.floats(f.tensor("bf16").orElseThrow());
            for (int i = 0; i < VALUES.length; i++) {
                assertEquals(SafetensorsWriter.roundTo(Dtype.F16, VALUES[i]), half[i]);
                assertEquals(SafetensorsWriter.roundTo(Dtype.BF16, VALUES[i]), brain[i]);
                assertEquals(VALUES[i], half[i], Math.abs(VALUES[i]) * 1e-3);
                assertEquals(VALUES[i], brain[i], Math.abs(VALUES[i]) * 1e-2);
            }
            assertArrayEquals(new float[] {7f}, f.floats(f.tensor("scalar").orElseThrow()));
            assertEquals(0, f.floats(f.tensor("empty").orElseThrow()).length);
            // A slice from the middle.
            float[] part = new float[3];
            f.floats(f.tensor("f16").orElseThrow(), 2, part, 0, 3);
            assertArrayEquals(Arrays.copyOfRange(half, 2, 5), part);
            // Raw bytes are the file's little-endian data, without a copy of the whole file.
            ByteBuffer raw = f.rawBytes(f.tensor("f32").orElseThrow());
            assertEquals(24, raw.remaining());
            assertEquals(-2.5f, raw.order(ByteOrder.LITTLE_ENDIAN).getFloat(8));
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> f.floats(f.tensor("ids").orElseThrow()));
            assertTrue(e.getMessage().contains("\"ids\"") && e.getMessage().contains("I64"), e.getMessage());
            assertTrue(f.tensor("missing").isEmpty());
        }
    }

    @Test
    void largeFilesAreMappedInSeveralWindowsOfWholeTensors() {
        SafetensorsWriter w = new SafetensorsWriter();
        float[][] data = new float[12][];
        for (int t = 0; t < data.length; t++) {
            data[t] = new float[30 + t];
            for (int i = 0; i < data[t].length; i++) {
                data[t][i] = t * 1000 + i;
            }
            w.add("t" + t, Dtype.F32, new long[] {data[t].length}, data[t]);
        }
        Path file = w.write(tmp.resolve("windows.safetensors"));
        // Windows of at most 300 bytes: each holds one or two tensors (120..164 bytes each).
        try (SafetensorsFile f = SafetensorsFile.open(file, 300)) {
            assertTrue(f.windowCount() >= 6, "windows: " + f.windowCount());
            for (int t = 0; t < data.length; t++) {
                assertArrayEquals(data[t], f.floats(f.tensor("t" + t).orElseThrow()), "t" + t);
            }
        }
        try (SafetensorsFile f = SafetensorsFile.open(file, 100)) {
            fail(f);
        } catch (ModelLoadException e) {
            assertTrue(e.getMessage().contains("\"t0\"") && e.getMessage().contains("120 bytes"), e.getMessage());
        }
    }

    private static void fail(SafetensorsFile f) {
        throw new AssertionError("opened " + f.file());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Broken files

    /** 8-byte length, the header text as given, then {@code dataBytes} zero bytes. */
    private Path raw(String name, long declaredLength, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredLength).put(h);
        return Files.write(tmp.resolve(name), b.array());
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        return raw(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private static String error(Path file) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), "message should name the file: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" missing from: " + message);
        }
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        Path good = new SafetensorsWriter().add("a", Dtype.F32, new long[] {4, 4}, new float[16])
                .add("b", Dtype.F32, new long[] {8}, new float[8]).write(tmp.resolve("good.safetensors"));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 10));
        assertMentions(error(cut), "truncated", "\"b\"", "out of range");
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path good = new SafetensorsWriter().add("a", Dtype.F32, new long[] {4}, new float[4])
                .write(tmp.resolve("good.safetensors"));
        byte[] bytes = Files.readAllBytes(good);
        assertMentions(error(Files.write(tmp.resolve("half.safetensors"), Arrays.copyOf(bytes, 30))), "truncated",
                "header");
        assertMentions(error(Files.write(tmp.resolve("tiny.safetensors"), new byte[5])), "5 bytes");
        assertMentions(error(Files.write(tmp.resolve("empty.safetensors"), new byte[0])), "0 bytes");
    }

    @Test
    void absurdHeaderLengthIsReported() throws IOException {
        assertMentions(error(raw("huge.safetensors", 1L << 40, "{}", 0)), "header length");
        assertMentions(error(raw("negative.safetensors", -5, "{}", 0)), "header length");
        // A pickle or HTML error page is not a safetensors file either.
        Path html = Files.writeString(tmp.resolve("page.safetensors"), "<html><body>404 Not Found</body></html>");
        assertMentions(error(html), "not a safetensors file");
    }

    @Test
    void corruptHeaderJsonIsReported() throws IOException {
        assertMentions(error(raw("json.safetensors", "{\"a\": {\"dtype\": \"F32\", \"shape\": [1],,}", 4)),
                "not valid JSON");
        assertMentions(error(raw("array.safetensors", "[1, 2, 3]", 0)), "JSON object");
        assertMentions(error(raw("dup.safetensors",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
                "not valid JSON", "Duplicate");
        assertMentions(error(raw("trailing.safetensors", "{} {}", 0)), "not valid JSON");
        assertMentions(error(raw("dtype.safetensors",
                "{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1)), "\"w\"", "unknown dtype",
                "Q4");
        assertMentions(error(raw("shape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)), "\"w\"", "shape");
        assertMentions(error(raw("meta.safetensors", "{\"__metadata__\": {\"n\": 5}}", 0)), "__metadata__");
        assertMentions(error(raw("nooffsets.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)),
                "\"w\"", "data_offsets");
    }

    @Test
    void offsetsOutOfRangeAreReported() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[1000,1016]}}";
        assertMentions(error(raw("range.safetensors", header, 16)), "\"w\"", "out of range", "[1000, 1016]",
                "16 bytes");
        String backwards = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}";
        assertMentions(error(raw("backwards.safetensors", backwards, 16)), "\"w\"", "invalid data_offsets");
    }

    @Test
    void offsetsNotMatchingTheShapeAreReported() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,16]}}";
        assertMentions(error(raw("size.safetensors", header, 16)), "\"w\"", "[2, 3]", "F16", "needs 12 bytes",
                "16 bytes");
    }

    @Test
    void overlappingTensorsAreReported() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}";
        assertMentions(error(raw("overlap.safetensors", header, 24)), "\"a\"", "\"b\"", "overlap");
    }

    @Test
    void missingFileIsReported() {
        Path missing = tmp.resolve("nope.safetensors");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> SafetensorsFile.open(missing));
        assertMentions(e.getMessage(), "Missing " + missing);
    }
}
