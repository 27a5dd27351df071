package io.linguagate.model.convert;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.CodedOutputStream;
import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes an ONNX model whose initializers are streamed: the protobuf is written field by field rather than
 * built as one message, so weights go from the checkpoint mapping to the file without a heap copy of the model.
 *
 * <p>Layout: the {@link ModelProto} fields except {@code graph}, then {@code graph} (field 7) as the graph's
 * fields without initializers followed by one {@code initializer} (field 5) per tensor, each its
 * {@link TensorProto} header fields followed by {@code raw_data} (field 9). Protobuf parsers accept fields in any
 * order, and lengths are known up front because every initializer knows its byte length.
 *
 * <p>With external data (the ONNX convention), tensors of 1 KiB and more are written to a separate file at
 * 4 KiB-aligned offsets, and their {@link TensorProto} carries {@code data_location = EXTERNAL} with
 * {@code location}, {@code offset} and {@code length} entries; {@code location} is relative to the model file.
 */
final class OnnxModelWriter {

    /** Inline models must stay below protobuf's 2 GiB message limit; switch to external data well before. */
    static final long INLINE_LIMIT = 2_000_000_000L;
    static final long EXTERNAL_MIN_BYTES = 1024;
    static final long ALIGNMENT = 4096;

    private static final int MODEL_GRAPH_FIELD = 7;
    private static final int GRAPH_INITIALIZER_FIELD = 5;
    private static final int TENSOR_RAW_DATA_FIELD = 9;
    private static final int LENGTH_DELIMITED = 2;

    /**
     * What was written.
     *
     * @param onnxBytes size of the model file
     * @param dataBytes size of the external data file (0 when none was written)
     */
    record Written(long onnxBytes, long dataBytes) {

        boolean external() {
            return dataBytes > 0;
        }
    }

    private record Entry(Initializer init, byte[] header, boolean external, long tensorLength) {
    }

    private OnnxModelWriter() {
    }

    /** Model size if every initializer were inline. */
    static long inlineSize(ModelProto skeleton, List<Initializer> initializers) {
        return modelSize(skeleton, plan(initializers, false, ""));
    }

    /**
     * Writes {@code skeleton} (a model whose graph has no initializers) with {@code initializers} to
     * {@code onnxFile}, and, when {@code external}, the large tensors to {@code dataFile}, which the model refers
     * to as {@code dataLocation}. Both files must not exist yet.
     */
    static Written write(ModelProto skeleton, List<Initializer> initializers, boolean external, Path onnxFile,
            Path dataFile, String dataLocation) throws IOException {
        List<Entry> entries = plan(initializers, external, dataLocation);
        long total = modelSize(skeleton, entries);
        if (total > Integer.MAX_VALUE) {
            throw new ModelLoadException("The ONNX model would be " + total + " bytes, over protobuf's 2 GiB limit; "
                    + "write it with external data");
        }
        long dataBytes = 0;
        if (external) {
            dataBytes = writeData(entries, dataFile);
        }
        GraphProto graph = skeleton.getGraph();
        ModelProto withoutGraph = skeleton.toBuilder().clearGraph().build();
        try (FileChannel channel = FileChannel.open(onnxFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); ByteSink sink = new ByteSink(channel)) {
            sink.write(withoutGraph.toByteArray());
            sink.writeVarint(tag(MODEL_GRAPH_FIELD));
            sink.writeVarint(graphSize(graph, entries));
            sink.write(graph.toByteArray());
            for (Entry e : entries) {
                sink.writeVarint(tag(GRAPH_INITIALIZER_FIELD));
                sink.writeVarint(e.tensorLength());
                sink.write(e.header());
                if (!e.external()) {
                    long length = e.init().byteLength();
                    sink.writeVarint(tag(TENSOR_RAW_DATA_FIELD));
                    sink.writeVarint(length);
                    writeExactly(sink, e.init(), length);
                }
            }
            sink.flush();
            if (sink.position() != total) {
                throw new IllegalStateException("wrote " + sink.position() + " bytes, planned " + total);
            }
            channel.force(true);
        }
        return new Written(total, dataBytes);
    }

    private static long writeData(List<Entry> entries, Path dataFile) throws IOException {
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); ByteSink sink = new ByteSink(channel)) {
            long offset = 0;
            for (Entry e : entries) {
                if (!e.external()) {
                    continue;
                }
                long aligned = align(offset);
                sink.writeZeros(aligned - sink.position());
                writeExactly(sink, e.init(), e.init().byteLength());
                offset = aligned + e.init().byteLength();
            }
            sink.flush();
            channel.force(true);
            return sink.position();
        }
    }

    private static void writeExactly(ByteSink sink, Initializer init, long length) throws IOException {
        long before = sink.position();
        init.writeTo(sink);
        if (sink.position() - before != length) {
            throw new IllegalStateException(init.name() + ": wrote " + (sink.position() - before) + " bytes, expected "
                    + length);
        }
    }

    private static List<Entry> plan(List<Initializer> initializers, boolean external, String location) {
        List<Entry> entries = new ArrayList<>(initializers.size());
        long offset = 0;
        for (Initializer init : initializers) {
            long length = init.byteLength();
            boolean out = external && length >= EXTERNAL_MIN_BYTES;
            TensorProto.Builder t = TensorProto.newBuilder().setName(init.name()).setDataType(init.type().getNumber());
            for (long d : init.dims()) {
                t.addDims(d);
            }
            long tensorLength;
            if (out) {
                long aligned = align(offset);
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", location))
                        .addExternalData(entry("offset", Long.toString(aligned)))
                        .addExternalData(entry("length", Long.toString(length)));
                offset = aligned + length;
                tensorLength = t.build().getSerializedSize();
            } else {
                tensorLength = t.build().getSerializedSize() + fieldSize(length);
            }
            entries.add(new Entry(init, t.build().toByteArray(), out, tensorLength));
        }
        return entries;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    private static long graphSize(GraphProto graph, List<Entry> entries) {
        long size = graph.getSerializedSize();
        for (Entry e : entries) {
            size += fieldSize(e.tensorLength());
        }
        return size;
    }

    private static long modelSize(ModelProto skeleton, List<Entry> entries) {
        ModelProto withoutGraph = skeleton.toBuilder().clearGraph().build();
        return withoutGraph.getSerializedSize() + fieldSize(graphSize(skeleton.getGraph(), entries));
    }

    /** Size of a length-delimited field with a one-byte tag and {@code length} bytes of payload. */
    private static long fieldSize(long length) {
        return 1 + CodedOutputStream.computeUInt64SizeNoTag(length) + length;
    }

    private static int tag(int field) {
        return (field << 3) | LENGTH_DELIMITED;
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
