package io.linguagate.testmodel;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Small factories for ONNX protobuf pieces (tribuo-util-onnx's generated {@code OnnxMl} classes),
 * so {@link TinyClassifierOnnx} reads as a graph rather than as protobuf plumbing.
 */
final class OnnxGraphParts {

    private OnnxGraphParts() {
    }

    /** A tensor input/output declaration; a {@code String} dim is symbolic, a {@code Number} fixed. */
    static ValueInfoProto tensorInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Number n) {
                d.setDimValue(n.longValue());
            } else {
                d.setDimParam(String.valueOf(dim));
            }
            shape.addDim(d);
        }
        TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder()
                .setElemType(type.getNumber())
                .setShape(shape);
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(tensor))
                .build();
    }

    /** A float initializer stored as little-endian raw data. */
    static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        buf.flip();
        return tensor(name, TensorProto.DataType.FLOAT, ByteString.copyFrom(buf), dims);
    }

    /** An int64 initializer stored as little-endian raw data. */
    static TensorProto longs(String name, long[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        buf.flip();
        return tensor(name, TensorProto.DataType.INT64, ByteString.copyFrom(buf), dims);
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, ByteString raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber()).setRawData(raw);
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** A node without attributes. */
    static NodeProto node(String op, String output, String... inputs) {
        return nodeBuilder(op, output, inputs).build();
    }

    /** A node with one integer attribute (Gather's axis, Cast's to). */
    static NodeProto node(String op, String attr, long value, String output, String... inputs) {
        AttributeProto a = AttributeProto.newBuilder()
                .setName(attr)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
        return nodeBuilder(op, output, inputs).addAttribute(a).build();
    }

    private static NodeProto.Builder nodeBuilder(String op, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + output).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n;
    }
}
