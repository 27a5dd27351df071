package io.linguagate.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import io.linguagate.model.convert.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a benchmark model directory ({@link BenchModelBuilder}'s {@code model.onnx}: a PyTorch-exported BERT encoder
 * plus the random head) back into the HuggingFace checkpoint it came from, {@code config.json} +
 * {@code model.safetensors}, so that the project's own converter can write it in every precision. The export keeps
 * the PyTorch names of embeddings, biases and LayerNorms; Linear weights are anonymous MatMul initializers
 * ({@code [in, out]}), found through their node's name ({@code /encoder/layer.3/attention/self/query/MatMul}) and
 * transposed back to {@code [out, in]}. The head's {@code classifier.weight} is stored {@code [hidden, 2]}.
 */
public final class BenchCheckpoint {

    private static final Pattern LINEAR = Pattern.compile("^/(encoder/layer\\.\\d+/.+)/MatMul$");

    private BenchCheckpoint() {
    }

    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Writes the checkpoint of {@code benchModel} (a directory with model.onnx and config.json) to {@code out}.
     *
     * @return the number of tensors written
     */
    public static int write(Path benchModel, Path out) throws IOException {
        ModelProto model;
        try (InputStream in = Files.newInputStream(benchModel.resolve("model.onnx"))) {
            model = ModelProto.parseFrom(in);
        }
        GraphProto graph = model.getGraph();
        Map<String, TensorProto> inits = new HashMap<>();
        graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        SafetensorsWriter w = new SafetensorsWriter();
        int count = 0;
        for (TensorProto t : graph.getInitializerList()) {
            String name = t.getName();
            if (name.startsWith("embeddings.") || (name.startsWith("encoder.layer.") && !name.contains("::"))
                    || name.equals("classifier.bias")) {
                w.add(name, Dtype.F32, dims(t), floats(t));
                count++;
            }
        }
        TensorProto head = inits.get("classifier.weight");
        w.add("classifier.weight", Dtype.F32, new long[] {head.getDims(1), head.getDims(0)},
                transpose(floats(head), (int) head.getDims(0), (int) head.getDims(1)));
        count++;
        for (NodeProto n : graph.getNodeList()) {
            Matcher m = LINEAR.matcher(n.getName().isEmpty() ? n.getOutput(0).replace("_output_0", "") : n.getName());
            if (!n.getOpType().equals("MatMul") || !m.matches() || !inits.containsKey(n.getInput(1))) {
                continue;
            }
            TensorProto b = inits.get(n.getInput(1));
            int in = (int) b.getDims(0);
            int outDim = (int) b.getDims(1);
            w.add(m.group(1).replace('/', '.') + ".weight", Dtype.F32, new long[] {outDim, in},
                    transpose(floats(b), in, outDim));
            count++;
        }
        Files.createDirectories(out);
        w.write(out.resolve("model.safetensors"));
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(benchModel.resolve("config.json").toFile());
        config.put("hidden_act", "gelu").put("layer_norm_eps", layerNormEps(graph))
                .put("position_embedding_type", "absolute").put("pad_token_id", 0);
        Files.writeString(out.resolve("config.json"), config.toPrettyString());
        return count;
    }

    /** The epsilon the export adds before its first Sqrt (the embeddings' LayerNorm); 1e-12 when not found. */
    static double layerNormEps(GraphProto graph) {
        Map<String, NodeProto> producers = new HashMap<>();
        graph.getNodeList().forEach(n -> n.getOutputList().forEach(o -> producers.put(o, n)));
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getOpType().equals("Sqrt")) {
                continue;
            }
            NodeProto add = producers.get(n.getInput(0));
            if (add != null && add.getOpType().equals("Add")) {
                for (String input : add.getInputList()) {
                    NodeProto c = producers.get(input);
                    if (c != null && c.getOpType().equals("Constant") && c.getAttribute(0).hasT()) {
                        float[] v = floats(c.getAttribute(0).getT());
                        if (v.length == 1) {
                            return v[0];
                        }
                    }
                }
            }
            break;
        }
        return 1e-12;
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] floats(TensorProto t) {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IllegalArgumentException(t.getName() + ": not float32");
        }
        if (!t.getRawData().isEmpty()) {
            float[] v = new float[t.getRawData().size() / 4];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }
        List<Float> list = t.getFloatDataList();
        float[] v = new float[list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i);
        }
        return v;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }
}
