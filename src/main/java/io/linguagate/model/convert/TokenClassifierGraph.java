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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
 * are float16 and Casts sit at the boundaries. With {@link Precision#INT8} the six Linears of every layer are
 * com.microsoft MatMulIntegerToFloat on int8 weights (per output channel) and per-token uint8 inputs, the word
 * table is float16 (cast after the Gather), and everything else stays float32. The plain graph uses standard ONNX ops of opset 17 only; the fused
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
    /** The minimum of the exact GELU, {@code x * Phi(x)} at x = -0.7518: no GELU output is below it. */
    static final float GELU_MIN = -0.17f;

    private final Checkpoint checkpoint;
    private final CheckpointConfig config;
    private final ConversionOptions options;
    private final DataType t;
    /** {@link Precision#INT8}: Linear weights int8, activations float32 quantized at run time. */
    private final boolean int8;
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final List<Initializer> initializers = new ArrayList<>();
    private final Set<String> initializerNames = new HashSet<>();
    private final ModelProto skeleton;
    /** int8: quantized forms of Linear inputs (Q, K and V share theirs) and the shape tensors made so far. */
    private final Map<String, QuantizedRows> quantizedInputs = new HashMap<>();
    private final Set<String> shapes = new HashSet<>();

    private TokenClassifierGraph(Checkpoint checkpoint, ConversionOptions options) {
        this.checkpoint = checkpoint;
        this.config = checkpoint.config();
        this.options = options;
        this.t = options.precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT;
        this.int8 = options.precision() == Precision.INT8;
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
        Checkpoint.Weight wordTable = checkpoint.encoder("embeddings.word_embeddings.weight", config.vocabSize(),
                hidden);
        // int8: the table (the largest tensor, a Gather not a MatMul) is stored as float16 and its rows cast back.
        boolean halfTable = int8;
        String word = wordTable.name();
        if (halfTable) {
            add(Initializer.checkpoint(word, wordTable, DataType.FLOAT16));
        } else {
            weight(wordTable);
        }
        String pos = weight(checkpoint.encoder("embeddings.position_embeddings.weight",
                config.maxPositionEmbeddings(), hidden));
        Checkpoint.Weight typeTable = checkpoint.encoder("embeddings.token_type_embeddings.weight",
                config.typeVocabSize(), hidden);
        String words = op("Gather", "/embeddings/word", List.of(word, INPUT_IDS), intAttr("axis", 0));
        if (halfTable) {
            words = op("Cast", "/embeddings/word_float", List.of(words), intAttr("to", DataType.FLOAT.getNumber()));
        }
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
        String out = dense(n + "/output/dense", act, p + "output.dense", config.intermediateSize(), hidden,
                GELU_MIN);
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

    /**
     * {@code x} [batch, sequence, width] as uint8 rows [batch * sequence, width], each row with its own scale:
     * {@code max|row| / 127}, zero point 128 (symmetric). Per row, not per tensor: one token with huge activations
     * (BERT's [SEP], punctuation) would otherwise take the resolution of every other token in the batch, and each
     * token's result would depend on what else is in the batch. Computed once per tensor (Q, K, V share it).
     */
    private QuantizedRows quantizedRows(String x, int width) {
        QuantizedRows cached = quantizedInputs.get(x);
        if (cached != null) {
            return cached;
        }
        String n = x + "/quantized_rows";
        String rows = op("Reshape", n + "/flat", x, int64Vector("/const/rows_of_" + width, -1, width));
        String max = op("ReduceMax", n + "/max_abs", List.of(op("Abs", n + "/abs", rows)), intsAttr("axes", 1),
                intAttr("keepdims", 0));
        String scale = op("Max", n + "/scale", op("Div", n + "/scale_raw", max, scalar("/const/int8_max", 127f)),
                scalar("/const/smallest_scale", 1e-20f));
        if (!initializerNames.contains("/const/uint8_128")) {
            add(Initializer.uint8("/const/uint8_128", new long[0], (byte) 128));
        }
        String zeros = op("Expand", n + "/zero_points", "/const/uint8_128", op("Shape", n + "/rows", scale));
        String values = op("QuantizeLinear", n, List.of(rows, scale, zeros), intAttr("axis", 0));
        String columnScale = op("Unsqueeze", n + "/scale_column", scale, int64Vector("/const/axes_1", 1));
        QuantizedRows q = new QuantizedRows(values, columnScale, "/const/uint8_128");
        quantizedInputs.put(x, q);
        return q;
    }

    /**
     * Rows of {@code x + shift} (never negative: {@code -shift} is a lower bound of {@code x}) as uint8 with zero
     * point 0 and per-row scale {@code max(row) / 255}: all 256 levels for a skewed input such as GELU's output,
     * twice the resolution of the symmetric form. The caller takes {@code shift * colsum(W)} back out of the bias.
     */
    private QuantizedRows shiftedRows(String x, int width, float shift) {
        String n = x + "/shifted_rows";
        String shifted = op("Add", n + "/shifted", x, scalar("/const/gelu_shift", shift));
        String rows = op("Reshape", n + "/flat", shifted, int64Vector("/const/rows_of_" + width, -1, width));
        String max = op("ReduceMax", n + "/max", List.of(rows), intsAttr("axes", 1), intAttr("keepdims", 0));
        String scale = op("Max", n + "/scale", op("Div", n + "/scale_raw", max, scalar("/const/uint8_max", 255f)),
                scalar("/const/smallest_scale", 1e-20f));
        if (!initializerNames.contains("/const/uint8_0")) {
            add(Initializer.uint8("/const/uint8_0", new long[0], (byte) 0));
        }
        String zeros = op("Expand", n + "/zero_points", "/const/uint8_0", op("Shape", n + "/rows", scale));
        String values = op("QuantizeLinear", n, List.of(rows, scale, zeros), intAttr("axis", 0));
        String columnScale = op("Unsqueeze", n + "/scale_column", scale, int64Vector("/const/axes_1", 1));
        return new QuantizedRows(values, columnScale, "/const/uint8_0");
    }

    /** uint8 rows [M, width], their scales [M, 1] and the (scalar) zero point. */
    private record QuantizedRows(String values, String scale, String zeroPoint) {
    }

    /** [batch, sequence, width] from the input's shape, for int8 Linear outputs computed as [rows, width]. */
    private String batchSequenceShape(int width) {
        String name = "/shape/batch_sequence_" + width;
        if (shapes.add(name)) {
            String batchSequence = "/shape/batch_sequence";
            if (shapes.add(batchSequence)) {
                op("Shape", batchSequence, INPUT_IDS);
            }
            op("Concat", name, List.of(batchSequence, int64Vector("/const/width_" + width, width)),
                    intAttr("axis", 0));
        }
        return name;
    }

    /** The int8 form of a Linear weight: values [in, out], per-column scale [out] and zero point [out]. */
    private record Quantized(String values, String scale, String zeroPoint) {
    }

    /** Adds the int8 initializers of Linear weight {@code w [out, in]} (see {@link Int8Weights}). */
    private Quantized quantized(Checkpoint.Weight w) {
        long[] shape = w.tensor().shape();
        int out = (int) shape[0];
        int in = (int) shape[1];
        String values = w.name() + "_quantized";
        add(Initializer.int8(values, new long[] {in, out}, () -> {
            float[] f = w.floats();
            byte[] q = new byte[out * in];
            Int8Weights.quantizeTransposed(f, out, in, Int8Weights.scales(w.name(), f, out, in), q, out, 0);
            return q;
        }));
        String scale = w.name() + "_scale";
        add(Initializer.computed(scale, DataType.FLOAT, new long[] {out},
                () -> Int8Weights.scales(w.name(), w.floats(), out, in)));
        String zeroPoint = w.name() + "_zero_point";
        add(Initializer.int8(zeroPoint, new long[] {out}, () -> new byte[out]));
        return new Quantized(values, scale, zeroPoint);
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
        return dense(name, x, module, in, out, Float.NaN);
    }

    /**
     * As {@link #dense(String, String, String, int, int)}; int8: {@code lowerBound}, when not NaN, is a value no
     * input element goes below (GELU's minimum), so the rows are quantized asymmetrically (see
     * {@link #shiftedRows}).
     */
    private String dense(String name, String x, String module, int in, int out, float lowerBound) {
        if (int8) {
            Checkpoint.Weight weight = checkpoint.encoder(module + ".weight", out, in);
            Quantized w = quantized(weight);
            Checkpoint.Weight bias = checkpoint.encoder(module + ".bias", out);
            if (!Float.isNaN(lowerBound)) {
                QuantizedRows q = shiftedRows(x, in, -lowerBound);
                String y = contrib("MatMulIntegerToFloat", name + "/MatMulIntegerToFloat",
                        List.of(q.values(), w.values(), q.scale(), w.scale(), q.zeroPoint(), w.zeroPoint()));
                String shiftedBias = bias.name() + "_shifted";
                float shift = -lowerBound;
                add(Initializer.computed(shiftedBias, DataType.FLOAT, new long[] {out}, () -> {
                    // (x + c) W = x W + c * colsum(W): take the constant back out through the bias, with the
                    // weights as quantized (the sum the integer GEMM really computes).
                    float[] f = weight.floats();
                    float[] scales = Int8Weights.scales(weight.name(), f, out, in);
                    float[] b = bias.floats();
                    for (int o = 0; o < out; o++) {
                        long sum = 0;
                        float inverse = 1f / scales[o];
                        for (int i = 0; i < in; i++) {
                            sum += Int8Weights.quantize(f[o * in + i] * inverse);
                        }
                        b[o] = (float) (b[o] - (double) shift * scales[o] * sum);
                    }
                    return b;
                }));
                return op("Add", name + "/Add", op("Reshape", name + "/Reshape", y, batchSequenceShape(out)),
                        shiftedBias);
            }
            String b = weight(bias);
            QuantizedRows q = quantizedRows(x, in);
            String y = contrib("MatMulIntegerToFloat", name + "/MatMulIntegerToFloat",
                    List.of(q.values(), w.values(), q.scale(), w.scale(), q.zeroPoint(), w.zeroPoint()));
            return op("Add", name + "/Add", op("Reshape", name + "/Reshape", y, batchSequenceShape(out)), b);
        }
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
        node(domain, type, List.of(output), inputs, attributes);
        return output;
    }

    /** A node with several outputs, named after the first. */
    private void node(String domain, String type, List<String> outputs, List<String> inputs,
            AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(outputs.get(0)).addAllOutput(outputs)
                .addAllInput(inputs);
        if (!domain.isEmpty()) {
            n.setDomain(domain);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
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
        if (options.fused() || int8) {
            // int8: MatMulIntegerToFloat is a com.microsoft op.
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
