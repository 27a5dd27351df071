package io.linguagate.model.convert;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.ConversionOptions.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ONNX graph of a BERT / XLM-RoBERTa token classifier, computing what the PyTorch model computes in eval mode
 * ({@code BertForTokenClassification}, {@code XLMRobertaForTokenClassification}):
 *
 * <ol>
 * <li>embeddings: word + position + token type, then LayerNorm. BERT positions are 0..seq-1 and token types come
 * from the {@code token_type_ids} input; XLM-R positions are {@code cumsum(input_ids != pad) * (input_ids != pad)
 * + pad_token_id} (so padding on either side gives real tokens the same positions) and token type row 0 is
 * added;</li>
 * <li>per layer: Q/K/V projections, {@code softmax(QK^T / sqrt(head_size) + (1 - mask) * lowest)} V, output
 * projection + residual + LayerNorm, intermediate projection + exact (erf) GELU, output projection + residual +
 * LayerNorm;</li>
 * <li>the classifier: logits {@code [batch, seq, 2]}.</li>
 * </ol>
 *
 * <p>Inputs {@code input_ids} and {@code attention_mask} (and {@code token_type_ids} for BERT) are int64
 * {@code [batch, sequence]}; output {@code logits} is float32. With {@link Precision#FP16} weights and activations
 * are float16 and Casts sit at the boundaries. The plain graph uses standard ONNX ops of opset 17 only; the fused
 * graph replaces attention, residual + LayerNorm and bias + GELU with ONNX Runtime's com.microsoft Attention,
 * SkipLayerNormalization and BiasGelu.
 *
 * <p>Building the graph checks every tensor the model needs (presence and shape) before anything is written; the
 * weights themselves are read only when {@link #write} streams them out.
 */
public final class TokenClassifierGraph {

    static final long IR_VERSION = 8;
    static final long OPSET = 17;
    static final long CONTRIB_OPSET = 1;
    static final String CONTRIB = "com.microsoft";
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String LOGITS = "logits";

    private final Checkpoint checkpoint;
    private final CheckpointConfig config;
    private final ConversionOptions options;
    private final DataType t;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Set<String> initializerNames = new HashSet<>();
    private final ModelProto skeleton;

    private TokenClassifierGraph(Checkpoint checkpoint, ConversionOptions options) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.options = options;
        this.t = options.precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT;
        build();
        this.skeleton = model();
    }

    /** Builds the graph of {@code checkpoint}, checking all its tensors. */
    public static TokenClassifierGraph of(Checkpoint checkpoint, ConversionOptions options) {
        return new TokenClassifierGraph(checkpoint, options);
    }

    /** The model without initializer data (nodes, inputs, outputs, opsets). */
    public ModelProto skeleton() {
        return skeleton;
    }

    /** Bytes of the model file if every weight were stored inline. */
    public long inlineSize() {
        return OnnxModelWriter.inlineSize(skeleton, initializers);
    }

    /** Number of initializers (weights and constants). */
    public int initializerCount() {
        return initializers.size();
    }

    /**
     * Writes the model to {@code onnxFile} (and, when {@code external}, its weights to {@code dataFile}, referred
     * to by the model as {@code dataLocation}). Neither file may exist.
     *
     * @return the sizes written: model file, external data file (0 when none)
     */
    long[] write(boolean external, Path onnxFile, Path dataFile, String dataLocation) throws IOException {
        OnnxModelWriter.Written w = OnnxModelWriter.write(skeleton, initializers, external, onnxFile, dataFile,
                dataLocation);
        return new long[] {w.onnxBytes(), w.dataBytes()};
    }

    // ---------------------------------------------------------------------------------------------------------
    // The graph

    private void build() {
        int hidden = config.hiddenSize();
        boolean bert = config.family() == Family.BERT;
        graph.setName(config.family().modelType() + "_token_classifier");
        graph.addInput(tensorInfo(INPUT_IDS, DataType.INT64, "batch", "sequence"));
        graph.addInput(tensorInfo(ATTENTION_MASK, DataType.INT64, "batch", "sequence"));
        if (bert) {
            graph.addInput(tensorInfo(TOKEN_TYPE_IDS, DataType.INT64, "batch", "sequence"));
        }
        graph.addOutput(tensorInfo(LOGITS, DataType.FLOAT, "batch", "sequence", (long) CheckpointConfig.LABELS));

        String x = embeddings(hidden, bert);
        String mask = options.fused() ? fusedMask() : additiveMask();
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            x = options.fused() ? fusedLayer(layer, x, mask) : layer(layer, x, mask);
        }
        Checkpoint.Weight w = checkpoint.head("classifier.weight", CheckpointConfig.LABELS, hidden);
        Checkpoint.Weight b = checkpoint.head("classifier.bias", CheckpointConfig.LABELS);
        String scores = op("Add", "/classifier/logits", op("MatMul", "/classifier/MatMul", x, transposed(w)),
                weight(b));
        if (t == DataType.FLOAT16) {
            op("Cast", LOGITS, List.of(scores), intAttr("to", DataType.FLOAT.getNumber()));
        } else {
            op("Identity", LOGITS, scores);
        }
    }

    private String embeddings(int hidden, boolean bert) {
        String word = weight(checkpoint.encoder("embeddings.word_embeddings.weight", config.vocabSize(), hidden));
        String pos = weight(checkpoint.encoder("embeddings.position_embeddings.weight",
                config.maxPositionEmbeddings(), hidden));
        Checkpoint.Weight typeTable = checkpoint.encoder("embeddings.token_type_embeddings.weight",
                config.typeVocabSize(), hidden);
        String words = op("Gather", "/embeddings/word", List.of(word, INPUT_IDS), intAttr("axis", 0));
        String positions;
        String types;
        if (bert) {
            // position_ids = arange(seq): [seq, hidden], broadcast over the batch.
            String shape = op("Shape", "/embeddings/input_shape", INPUT_IDS);
            String seq = op("Gather", "/embeddings/seq_len", List.of(shape, int64Scalar("/const/one_i64", 1)),
                    intAttr("axis", 0));
            String range = op("Range", "/embeddings/position_ids", int64Scalar("/const/zero_i64", 0), seq,
                    "/const/one_i64");
            positions = op("Gather", "/embeddings/position", List.of(pos, range), intAttr("axis", 0));
            types = op("Gather", "/embeddings/token_type", List.of(weight(typeTable), TOKEN_TYPE_IDS),
                    intAttr("axis", 0));
        } else {
            // create_position_ids_from_input_ids: real tokens count from pad_token_id + 1, padding stays at pad.
            String pad = int64Scalar("/const/pad_token_id", config.padTokenId());
            String isPad = op("Equal", "/embeddings/is_pad", INPUT_IDS, pad);
            String notPad = op("Cast", "/embeddings/not_pad", List.of(op("Not", "/embeddings/not_pad_bool", isPad)),
                    intAttr("to", DataType.INT64.getNumber()));
            String count = op("CumSum", "/embeddings/cumsum", notPad, int64Scalar("/const/axis_1", 1));
            String ids = op("Add", "/embeddings/position_ids", op("Mul", "/embeddings/incremental", count, notPad),
                    pad);
            positions = op("Gather", "/embeddings/position", List.of(pos, ids), intAttr("axis", 0));
            // token_type_ids default to zeros: row 0 of the table, added to every token.
            String row = "embeddings.token_type_embeddings.row0";
            add(Initializer.computed(row, t, new long[] {hidden}, () -> {
                float[] r = new float[hidden];
                typeTable.file().floats(typeTable.tensor(), 0, r, 0, hidden);
                return r;
            }));
            types = row;
        }
        String sum = op("Add", "/embeddings/sum", op("Add", "/embeddings/word_position", words, positions), types);
        return layerNorm("/embeddings/LayerNorm", sum, "embeddings.LayerNorm", hidden);
    }

    /** {@code (1 - mask) * lowest} as [batch, 1, 1, seq], added to every head's scores. */
    private String additiveMask() {
        String m = op("Cast", "/mask/float", List.of(ATTENTION_MASK), intAttr("to", t.getNumber()));
        String inverted = op("Sub", "/mask/inverted", scalar("/const/one", 1f), m);
        float lowest = t == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        String additive = op("Mul", "/mask/additive", inverted, scalar("/const/mask_lowest", lowest));
        return op("Unsqueeze", "/mask/extended", additive, int64Vector("/const/axes_1_2", 1, 2));
    }

    /** The contrib Attention op takes the raw 0/1 mask as int32 [batch, seq]. */
    private String fusedMask() {
        return op("Cast", "/mask/int32", List.of(ATTENTION_MASK), intAttr("to", DataType.INT32.getNumber()));
    }

    private String layer(int i, String x, String mask) {
        int hidden = config.hiddenSize();
        String p = "encoder.layer." + i + ".";
        String n = "/encoder/layer." + i;
        String q = dense(n + "/attention/self/query", x, p + "attention.self.query", hidden, hidden);
        String k = dense(n + "/attention/self/key", x, p + "attention.self.key", hidden, hidden);
        String v = dense(n + "/attention/self/value", x, p + "attention.self.value", hidden, hidden);
        String headsShape = int64Vector("/const/heads_shape", 0, 0, config.numAttentionHeads(), config.headSize());
        String qh = op("Transpose", n + "/attention/self/q_heads",
                List.of(op("Reshape", n + "/attention/self/q_split", q, headsShape)), intsAttr("perm", 0, 2, 1, 3));
        String kt = op("Transpose", n + "/attention/self/k_heads_t",
                List.of(op("Reshape", n + "/attention/self/k_split", k, headsShape)), intsAttr("perm", 0, 2, 3, 1));
        String vh = op("Transpose", n + "/attention/self/v_heads",
                List.of(op("Reshape", n + "/attention/self/v_split", v, headsShape)), intsAttr("perm", 0, 2, 1, 3));
        String scores = op("Div", n + "/attention/self/scaled",
                op("MatMul", n + "/attention/self/scores", qh, kt),
                scalar("/const/sqrt_head_size", (float) Math.sqrt(config.headSize())));
        String masked = op("Add", n + "/attention/self/masked", scores, mask);
        String probs = op("Softmax", n + "/attention/self/probs", List.of(masked), intAttr("axis", -1));
        String context = op("MatMul", n + "/attention/self/context_heads", probs, vh);
        String merged = op("Reshape", n + "/attention/self/context",
                op("Transpose", n + "/attention/self/context_t", List.of(context), intsAttr("perm", 0, 2, 1, 3)),
                int64Vector("/const/hidden_shape", 0, 0, hidden));
        String attn = dense(n + "/attention/output/dense", merged, p + "attention.output.dense", hidden, hidden);
        String x1 = layerNorm(n + "/attention/output/LayerNorm", op("Add", n + "/attention/output/residual", attn, x),
                p + "attention.output.LayerNorm", hidden);
        String inter = dense(n + "/intermediate/dense", x1, p + "intermediate.dense", hidden,
                config.intermediateSize());
        String act = gelu(n + "/intermediate/gelu", inter);
        String out = dense(n + "/output/dense", act, p + "output.dense", config.intermediateSize(), hidden);
        return layerNorm(n + "/output/LayerNorm", op("Add", n + "/output/residual", out, x1), p + "output.LayerNorm",
                hidden);
    }

    private String fusedLayer(int i, String x, String mask) {
        int hidden = config.hiddenSize();
        int inter = config.intermediateSize();
        String p = "encoder.layer." + i + ".";
        String n = "/encoder/layer." + i;
        Checkpoint.Weight[] w = new Checkpoint.Weight[3];
        Checkpoint.Weight[] b = new Checkpoint.Weight[3];
        String[] parts = {"query", "key", "value"};
        for (int j = 0; j < 3; j++) {
            w[j] = checkpoint.encoder(p + "attention.self." + parts[j] + ".weight", hidden, hidden);
            b[j] = checkpoint.encoder(p + "attention.self." + parts[j] + ".bias", hidden);
        }
        String qkvWeight = p + "attention.self.qkv.weight_packed";
        add(Initializer.computed(qkvWeight, t, new long[] {hidden, 3L * hidden}, () -> {
            // [hidden_in, 3 * hidden_out]: column block j holds W_j transposed.
            float[] packed = new float[hidden * 3 * hidden];
            for (int j = 0; j < 3; j++) {
                transpose(w[j].floats(), hidden, hidden, packed, 3 * hidden, j * hidden);
            }
            return packed;
        }));
        String qkvBias = p + "attention.self.qkv.bias_packed";
        add(Initializer.computed(qkvBias, t, new long[] {3L * hidden}, () -> {
            float[] packed = new float[3 * hidden];
            for (int j = 0; j < 3; j++) {
                System.arraycopy(b[j].floats(), 0, packed, j * hidden, hidden);
            }
            return packed;
        }));
        String attention = contrib("Attention", n + "/attention/self/Attention", List.of(x, qkvWeight, qkvBias, mask),
                intAttr("num_heads", config.numAttentionHeads()));
        String projected = op("MatMul", n + "/attention/output/dense/MatMul", attention,
                transposed(checkpoint.encoder(p + "attention.output.dense.weight", hidden, hidden)));
        String x1 = skipLayerNorm(n + "/attention/output/SkipLayerNorm", projected, x, p + "attention.output",
                hidden);
        String up = op("MatMul", n + "/intermediate/dense/MatMul", x1,
                transposed(checkpoint.encoder(p + "intermediate.dense.weight", inter, hidden)));
        String act = contrib("BiasGelu", n + "/intermediate/BiasGelu",
                List.of(up, weight(checkpoint.encoder(p + "intermediate.dense.bias", inter))));
        String down = op("MatMul", n + "/output/dense/MatMul", act,
                transposed(checkpoint.encoder(p + "output.dense.weight", hidden, inter)));
        return skipLayerNorm(n + "/output/SkipLayerNorm", down, x1, p + "output", hidden);
    }

    /** {@code LayerNorm(input + skip + dense.bias)} in one contrib op. */
    private String skipLayerNorm(String name, String input, String skip, String module, int hidden) {
        String gamma = weight(checkpoint.encoder(module + ".LayerNorm.weight", hidden));
        String beta = weight(checkpoint.encoder(module + ".LayerNorm.bias", hidden));
        String bias = weight(checkpoint.encoder(module + ".dense.bias", hidden));
        return contrib("SkipLayerNormalization", name, List.of(input, skip, gamma, beta, bias),
                floatAttr("epsilon", (float) config.layerNormEps()));
    }

    /** {@code x W^T + b} for a PyTorch Linear with weight [out, in]. */
    private String dense(String name, String x, String module, int in, int out) {
        String w = transposed(checkpoint.encoder(module + ".weight", out, in));
        String b = weight(checkpoint.encoder(module + ".bias", out));
        return op("Add", name + "/Add", op("MatMul", name + "/MatMul", x, w), b);
    }

    private String layerNorm(String name, String x, String module, int hidden) {
        String gamma = weight(checkpoint.encoder(module + ".weight", hidden));
        String beta = weight(checkpoint.encoder(module + ".bias", hidden));
        return op("LayerNormalization", name, List.of(x, gamma, beta), intAttr("axis", -1),
                floatAttr("epsilon", (float) config.layerNormEps()));
    }

    /** Exact GELU as HF computes it: {@code x * 0.5 * (1 + erf(x / sqrt(2)))}. */
    private String gelu(String name, String x) {
        String erf = op("Erf", name + "/Erf", op("Div", name + "/Div", x, scalar("/const/sqrt2", (float) Math.sqrt(2))));
        String onePlus = op("Add", name + "/Add", erf, scalar("/const/one", 1f));
        return op("Mul", name + "/Mul_half", op("Mul", name + "/Mul", x, onePlus), scalar("/const/half", 0.5f));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Initializers

    /** A checkpoint tensor as stored. */
    private String weight(Checkpoint.Weight w) {
        String name = w.name();
        if (!initializerNames.contains(name)) {
            add(Initializer.checkpoint(name, w, t));
        }
        return name;
    }

    /** A Linear weight [out, in] stored transposed, [in, out], for MatMul. */
    private String transposed(Checkpoint.Weight w) {
        long[] shape = w.tensor().shape();
        int out = (int) shape[0];
        int in = (int) shape[1];
        String name = w.name() + "_transposed";
        add(Initializer.computed(name, t, new long[] {in, out}, () -> {
            float[] tr = new float[out * in];
            transpose(w.floats(), out, in, tr, out, 0);
            return tr;
        }));
        return name;
    }

    private void add(Initializer init) {
        if (!initializerNames.add(init.name())) {
            throw new IllegalStateException("duplicate initializer " + init.name());
        }
        initializers.add(init);
    }

    /**
     * Writes the transpose of row-major {@code m} [rows, cols] into {@code dst} as [cols, rows], row {@code c} of
     * the result starting at {@code c * dstStride + dstOffset}. Tiled, so both sides stay in cache.
     */
    static void transpose(float[] m, int rows, int cols, float[] dst, int dstStride, int dstOffset) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(r0 + tile, rows);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(c0 + tile, cols);
                for (int r = r0; r < r1; r++) {
                    int from = r * cols;
                    for (int c = c0; c < c1; c++) {
                        dst[c * dstStride + dstOffset + r] = m[from + c];
                    }
                }
            }
        }
    }

    private String scalar(String name, float value) {
        if (!initializerNames.contains(name)) {
            add(Initializer.constant(name, t, new long[0], value));
        }
        return name;
    }

    private String int64Scalar(String name, long value) {
        if (!initializerNames.contains(name)) {
            add(Initializer.int64(name, new long[0], value));
        }
        return name;
    }

    private String int64Vector(String name, long... values) {
        if (!initializerNames.contains(name)) {
            add(Initializer.int64(name, new long[] {values.length}, values));
        }
        return name;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Protobuf plumbing

    private String op(String type, String output, String... inputs) {
        return op(type, output, List.of(inputs));
    }

    private String op(String type, String output, List<String> inputs, AttributeProto... attributes) {
        return node("", type, output, inputs, attributes);
    }

    private String contrib(String type, String output, List<String> inputs, AttributeProto... attributes) {
        return node(CONTRIB, type, output, inputs, attributes);
    }

    private String node(String domain, String type, String output, List<String> inputs,
            AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(output).addOutput(output)
                .addAllInput(inputs);
        if (!domain.isEmpty()) {
            n.setDomain(domain);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return output;
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    /** A tensor declaration; a {@code String} dim is symbolic, a {@code Long} fixed. */
    private static ValueInfoProto tensorInfo(String name, DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Long l) {
                d.setDimValue(l);
            } else {
                d.setDimParam((String) dim);
            }
            shape.addDim(d);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private ModelProto model() {
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("linguagate")
                .setProducerVersion("checkpoint-converter-1")
                .setDocString("LLMLingua-2 token classifier converted from " + config.describe() + " ("
                        + options.describe() + ")")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addMetadataProps(meta("model_type", config.family().modelType()))
                .addMetadataProps(meta("precision", options.precision().name().toLowerCase(java.util.Locale.ROOT)))
                .addMetadataProps(meta("fused", Boolean.toString(options.fused())))
                .setGraph(graph);
        if (options.fused()) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(CONTRIB).setVersion(CONTRIB_OPSET));
        }
        return m.build();
    }

    private static StringStringEntryProto meta(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Names of all initializers, in write order (tests). */
    List<String> initializerNames() {
        return initializers.stream().map(Initializer::name).toList();
    }
}
