package io.linguagate.bench;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Builds a realistic-size benchmark model for the gateway: a pretrained BERT-style encoder taken from a
 * langchain4j embeddings jar (Maven Central; no hub access here) plus a 2-class token-classification head
 * with fixed-seed random weights. Same shapes and cost as an LLMLingua-2 classifier of that size, but the
 * keep probabilities are meaningless: use it for timing only, never for compression quality.
 *
 * <p>Usage: {@code BenchModelBuilder <embeddings.jar | encoder.onnx | dir with *.onnx + *tokenizer.json> <outDir>}.
 * Writes {@code outDir/model.onnx} (output {@code logits} float [batch, seq, 2]), {@code outDir/tokenizer.json}
 * (as shipped) and {@code outDir/config.json}.
 */
public final class BenchModelBuilder {

    /** Fixed so that every build of the same jar gives byte-identical files. */
    static final long SEED = 20240601L;
    static final int NUM_LABELS = 2;
    static final String ENCODER_OUTPUT = "last_hidden_state";
    static final String LOGITS = "logits";

    private BenchModelBuilder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: BenchModelBuilder <embeddings.jar | encoder.onnx | dir> <outDir>");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);

        ModelProto encoder = readSource(source, out.resolve("tokenizer.json"));
        Shapes shapes = Shapes.of(encoder.getGraph());
        ModelProto classifier = addHead(encoder, shapes.hidden);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out.resolve("model.onnx")), 1 << 20)) {
            classifier.writeTo(os);
        }
        Files.writeString(out.resolve("config.json"), shapes.configJson(source.getFileName().toString()));

        System.out.printf("wrote %s: hidden=%d layers=%d heads=%s embedding rows=%d positions=%d ir=%d opset=%s inputs=%s%n",
                out, shapes.hidden, shapes.layers, shapes.heads < 0 ? "?" : shapes.heads, shapes.vocabRows,
                shapes.positions, classifier.getIrVersion(), classifier.getOpsetImportList().stream()
                        .map(o -> (o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain()) + ":" + o.getVersion()).toList(),
                classifier.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
        selfCheck(out.resolve("model.onnx"));
    }

    /** Parses the encoder graph and copies the tokenizer next to the output, from a jar, a directory or a file. */
    static ModelProto readSource(Path source, Path tokenizerOut) throws IOException {
        if (Files.isDirectory(source)) {
            return readSource(single(source, ".onnx"), tokenizerOut);
        }
        if (source.toString().endsWith(".onnx")) {
            // langchain4j names it <name>-tokenizer.json; an HF export names it tokenizer.json.
            String stem = source.getFileName().toString().replaceFirst("\\.onnx$", "");
            Path tokenizer = source.resolveSibling(stem + "-tokenizer.json");
            Files.copy(Files.exists(tokenizer) ? tokenizer : source.resolveSibling("tokenizer.json"), tokenizerOut,
                    StandardCopyOption.REPLACE_EXISTING);
            try (InputStream in = Files.newInputStream(source)) {
                return ModelProto.parseFrom(in);
            }
        }
        try (ZipFile jar = new ZipFile(source.toFile())) {
            // Entry names differ from the artifact id (bge-small-en-v15 holds bge-small-en-v1.5.onnx): match suffixes.
            ZipEntry onnx = single(jar, ".onnx");
            try (InputStream in = jar.getInputStream(single(jar, "tokenizer.json"))) {
                Files.copy(in, tokenizerOut, StandardCopyOption.REPLACE_EXISTING);
            }
            try (InputStream in = jar.getInputStream(onnx)) {
                return ModelProto.parseFrom(in);
            }
        }
    }

    private static ZipEntry single(ZipFile jar, String suffix) {
        List<? extends ZipEntry> hits = jar.stream().filter(e -> e.getName().endsWith(suffix)).toList();
        if (hits.size() != 1) {
            throw new IllegalArgumentException(jar.getName() + ": expected one *" + suffix + " entry, found " + hits);
        }
        return hits.get(0);
    }

    private static Path single(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> hits = files.filter(p -> p.toString().endsWith(suffix)).toList();
            if (hits.size() != 1) {
                throw new IllegalArgumentException(dir + ": expected one *" + suffix + " file, found " + hits);
            }
            return hits.get(0);
        }
    }

    /**
     * logits = MatMul(last_hidden_state, W[hidden, 2]) + b[2]. MatMul/Add exist unchanged since opset 1, so the
     * encoder's opset and IR version are kept as they are. last_hidden_state stays an internal value only.
     */
    static ModelProto addHead(ModelProto encoder, int hidden) {
        GraphProto graph = encoder.getGraph();
        ValueInfoProto encoderOut = graph.getOutputList().stream().filter(v -> v.getName().equals(ENCODER_OUTPUT))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("encoder has no " + ENCODER_OUTPUT + " output"));
        Random random = new Random(SEED);
        float[] weight = new float[hidden * NUM_LABELS];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() * 0.02);
        }
        float[] bias = new float[NUM_LABELS];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) (random.nextGaussian() * 0.02);
        }
        // Keep the encoder's symbolic batch/sequence dims on the new output, replace the hidden dim with 2.
        TensorShapeProto.Builder shape = encoderOut.getType().getTensorType().getShape().toBuilder();
        shape.setDim(2, TensorShapeProto.Dimension.newBuilder().setDimValue(NUM_LABELS));
        ValueInfoProto logits = ValueInfoProto.newBuilder().setName(LOGITS)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
        GraphProto.Builder g = graph.toBuilder()
                .addInitializer(floatTensor("classifier.weight", weight, hidden, NUM_LABELS))
                .addInitializer(floatTensor("classifier.bias", bias, NUM_LABELS))
                .addNode(NodeProto.newBuilder().setName("/classifier/MatMul").setOpType("MatMul")
                        .addInput(ENCODER_OUTPUT).addInput("classifier.weight").addOutput("/classifier/MatMul_output_0"))
                .addNode(NodeProto.newBuilder().setName("/classifier/Add").setOpType("Add")
                        .addInput("/classifier/MatMul_output_0").addInput("classifier.bias").addOutput(LOGITS))
                .clearOutput()
                .addOutput(logits);
        return encoder.toBuilder().setGraph(g).setDocString("LinguaGate benchmark model: pretrained encoder + "
                + "random 2-class token-classification head (seed " + SEED + "); timing only").build();
    }

    private static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** Sizes read from the encoder graph: initializer shapes, layer names, the attention Reshape constant. */
    record Shapes(int hidden, int layers, int heads, int intermediate, int vocabRows, int positions, int typeRows) {

        private static final Pattern LAYER = Pattern.compile("(?:^|[./])layers?[._](\\d+)[./]");

        static Shapes of(GraphProto graph) {
            Map<String, TensorProto> inits = new HashMap<>();
            graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
            // The word-embedding table is what Gather indexes with input_ids; its rows bound the usable token ids.
            TensorProto words = graph.getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Gather") && n.getInputCount() == 2
                            && n.getInput(1).equals("input_ids") && inits.containsKey(n.getInput(0)))
                    .map(n -> inits.get(n.getInput(0))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no Gather(embedding, input_ids) in the graph"));
            int hidden = (int) words.getDims(1);
            TreeSet<Integer> layerIds = new TreeSet<>();
            for (String name : inits.keySet()) {
                Matcher m = LAYER.matcher(name);
                if (m.find()) {
                    layerIds.add(Integer.parseInt(m.group(1)));
                }
            }
            return new Shapes(hidden, layerIds.size(), heads(graph, hidden),
                    rows(inits, "layer.0.intermediate.dense.bias", -1), (int) words.getDims(0),
                    rows(inits, "position_embeddings.weight", 512), rows(inits, "token_type_embeddings.weight", 2));
        }

        private static int rows(Map<String, TensorProto> inits, String suffix, int fallback) {
            return inits.values().stream().filter(t -> t.getName().endsWith(suffix)).findFirst()
                    .map(t -> (int) t.getDims(0)).orElse(fallback);
        }

        /**
         * Attention heads: self-attention reshapes to [batch, seq, heads, head_dim] with heads * head_dim = hidden.
         * PyTorch exports that shape as Concat(batch, seq, Constant heads, Constant head_dim), others as one
         * 4-element constant; both are read. -1 when neither is found (then left out of config.json).
         */
        private static int heads(GraphProto graph, int hidden) {
            Map<String, long[]> constants = new HashMap<>();
            Map<String, NodeProto> producers = new HashMap<>();
            for (NodeProto n : graph.getNodeList()) {
                n.getOutputList().forEach(o -> producers.put(o, n));
                if (n.getOpType().equals("Constant") && n.getAttributeCount() == 1 && n.getAttribute(0).hasT()) {
                    constants.put(n.getOutput(0), int64s(n.getAttribute(0).getT()));
                }
            }
            graph.getInitializerList().forEach(t -> constants.put(t.getName(), int64s(t)));
            for (NodeProto reshape : graph.getNodeList()) {
                if (!reshape.getOpType().equals("Reshape") || reshape.getInputCount() != 2) {
                    continue;
                }
                long[] shape = constants.get(reshape.getInput(1));
                NodeProto concat = producers.get(reshape.getInput(1));
                if (shape == null && concat != null && concat.getOpType().equals("Concat") && concat.getInputCount() == 4) {
                    long[] h = constants.get(concat.getInput(2));
                    long[] d = constants.get(concat.getInput(3));
                    shape = h != null && d != null && h.length == 1 && d.length == 1 ? new long[] {0, 0, h[0], d[0]} : null;
                }
                if (shape != null && shape.length == 4 && shape[2] > 1 && shape[3] > 1 && shape[2] * shape[3] == hidden) {
                    return (int) shape[2];
                }
            }
            return -1;
        }

        /** The values of a small int64 tensor; null for anything else. */
        private static long[] int64s(TensorProto t) {
            if (t.getDataType() != TensorProto.DataType.INT64_VALUE || t.getDimsCount() > 1) {
                return null;
            }
            if (t.getInt64DataCount() > 0) {
                return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            }
            long[] v = new long[t.getRawData().size() / Long.BYTES];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
            return v;
        }

        String configJson(String source) {
            StringBuilder json = new StringBuilder("{\n")
                    .append("  \"_comment\": \"LinguaGate benchmark model built from ").append(source)
                    .append(": pretrained encoder + random token-classification head (seed ").append(SEED)
                    .append("). Timing only.\",\n")
                    .append("  \"model_type\": \"bert\",\n")
                    .append("  \"architectures\": [\"BertForTokenClassification\"],\n")
                    .append("  \"hidden_size\": ").append(hidden).append(",\n")
                    .append("  \"num_hidden_layers\": ").append(layers).append(",\n");
            if (heads > 0) {
                json.append("  \"num_attention_heads\": ").append(heads).append(",\n");
            }
            if (intermediate > 0) {
                json.append("  \"intermediate_size\": ").append(intermediate).append(",\n");
            }
            return json.append("  \"vocab_size\": ").append(vocabRows).append(",\n")
                    .append("  \"max_position_embeddings\": ").append(positions).append(",\n")
                    .append("  \"type_vocab_size\": ").append(typeRows).append(",\n")
                    .append("  \"num_labels\": ").append(NUM_LABELS).append(",\n")
                    .append("  \"id2label\": {\"0\": \"LABEL_0\", \"1\": \"LABEL_1\"},\n")
                    .append("  \"label2id\": {\"LABEL_0\": 0, \"LABEL_1\": 1}\n")
                    .append("}\n").toString();
        }
    }

    /** Fails the build early if ONNX Runtime cannot load the graph or the output is not [1, 8, 2] finite floats. */
    static void selfCheck(Path model) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options)) {
            long[][] ids = {{101, 7592, 2088, 2003, 1037, 3231, 1012, 102}};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            for (String name : session.getInputNames()) {
                long[][] v = switch (name) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> new long[][] {{1, 1, 1, 1, 1, 1, 1, 1}};
                    default -> new long[1][8];
                };
                inputs.put(name, OnnxTensor.createTensor(env, v));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(LOGITS))) {
                float[][][] logits = (float[][][]) result.get(0).getValue();
                if (logits.length != 1 || logits[0].length != 8 || logits[0][0].length != NUM_LABELS) {
                    throw new IllegalStateException("unexpected logits shape");
                }
                for (float[] row : logits[0]) {
                    if (!Float.isFinite(row[0]) || !Float.isFinite(row[1])) {
                        throw new IllegalStateException("non-finite logits");
                    }
                }
                System.out.printf("self-check: ONNX Runtime %s ran %s, logits[0][1] = [%.4f, %.4f]%n",
                        env.getVersion(), session.getInputNames(), logits[0][1][0], logits[0][1][1]);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }
}
