package io.linguagate.testmodel;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntToDoubleFunction;

/**
 * A tiny LLMLingua-2-shaped token classifier written as {@code model.onnx}: the logits of a token
 * are a row of a per-token-id table, so tests know the exact keep probability of every token.
 *
 * <p>Graph: inputs {@code input_ids}, {@code attention_mask} and (BERT-shaped only)
 * {@code token_type_ids}, all int64 {@code [batch, seq]} with symbolic dims; output {@code logits}
 * float {@code [batch, seq, labels]} = {@code Gather(table, input_ids, axis 0)} plus
 * {@code 0 * Cast(mask)} broadcast terms, so ONNX Runtime keeps every declared input. Row
 * {@code id} of the table is {@code [0, logit(p(id))]}, hence {@code softmax(logits)[..., 1] == p(id)}.
 *
 * <p>Broken variants for loader tests: {@link Builder#labels(int)} other than 2, {@link
 * Builder#rank2Output()} ({@code [batch*seq, 2]}), and {@link Builder#tableRows(int)} below the
 * tokenizer's vocabulary (ONNX Runtime's CPU Gather then fails the run on an id {@code >= rows}).
 */
public final class TinyClassifierOnnx {

    /** File name the model is written under. */
    public static final String FILE_NAME = "model.onnx";

    private static final long IR_VERSION = 8;
    private static final long OPSET = 17;
    private static final int FLOAT_TYPE = DataType.FLOAT.getNumber();

    private final int vocabSize;
    private final int tableRows;
    private final int labels;
    private final boolean tokenTypeIds;
    private final boolean rank2Output;
    private final IntToDoubleFunction keepProbability;

    private TinyClassifierOnnx(Builder b) {
        this.vocabSize = b.vocabSize;
        this.tableRows = b.tableRows < 0 ? b.vocabSize : b.tableRows;
        this.labels = b.labels;
        this.tokenTypeIds = b.tokenTypeIds;
        this.rank2Output = b.rank2Output;
        this.keepProbability = b.keepProbability;
    }

    /** Starts a model for a tokenizer with {@code vocabSize} ids (0 .. vocabSize-1). */
    public static Builder builder(int vocabSize) {
        return new Builder(vocabSize);
    }

    /** The default keep probability: spread over (0, 1) and distinct for neighbouring ids. */
    public static double defaultKeepProbability(int id) {
        return ((id * 37L) % 100 + 0.5) / 100.0;
    }

    /** {@code log(p / (1 - p))}, with p clamped to [1e-6, 1 - 1e-6] so logits stay finite. */
    public static float logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return (float) Math.log(q / (1 - q));
    }

    /** Ids the tokenizer can emit (what the model was built for). */
    public int vocabSize() {
        return vocabSize;
    }

    /** Rows of the embedding-like table: ids at or above this make ONNX Runtime fail the run. */
    public int tableRows() {
        return tableRows;
    }

    /** Size of the output's last dimension (2 for a valid model). */
    public int labels() {
        return labels;
    }

    /** Whether the graph declares {@code token_type_ids}. */
    public boolean hasTokenTypeIds() {
        return tokenTypeIds;
    }

    /** Softmax of label 1 the model yields for {@code id}, as computed from the float table. */
    public double keepProbability(int id) {
        float[] row = row(id);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return Math.exp(row[1] - max) / sum;
    }

    /** The table row (logits) for {@code id}: {@code [0, logit(p)]} then zeros for extra labels. */
    public float[] row(int id) {
        float[] row = new float[labels];
        row[1] = logit(keepProbability.applyAsDouble(id));
        return row;
    }

    /** The serialized ONNX model. */
    public byte[] toBytes() {
        return toProto().toByteArray();
    }

    /** Writes {@code dir/model.onnx} (creating {@code dir}) and returns its path. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.write(dir.resolve(FILE_NAME), toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ONNX model as a protobuf message. */
    public ModelProto toProto() {
        float[] table = new float[tableRows * labels];
        for (int id = 0; id < tableRows; id++) {
            System.arraycopy(row(id), 0, table, id * labels, labels);
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_token_classifier")
                .addInitializer(OnnxGraphParts.floats("table", table, tableRows, labels))
                .addInitializer(OnnxGraphParts.floats("zero", new float[] {0f}))
                .addInitializer(OnnxGraphParts.longs("last_axis", new long[] {-1}, 1))
                .addInput(OnnxGraphParts.tensorInfo("input_ids", DataType.INT64, "batch", "seq"))
                .addInput(OnnxGraphParts.tensorInfo("attention_mask", DataType.INT64, "batch", "seq"))
                .addNode(OnnxGraphParts.node("Gather", "axis", 0, "gathered", "table", "input_ids"));
        String sum = addZeroTerm(g, "attention_mask", "gathered", "with_mask");
        if (tokenTypeIds) {
            g.addInput(OnnxGraphParts.tensorInfo("token_type_ids", DataType.INT64, "batch", "seq"));
            sum = addZeroTerm(g, "token_type_ids", sum, "with_types");
        }
        if (rank2Output) {
            g.addInitializer(OnnxGraphParts.longs("flat_shape", new long[] {-1, labels}, 2));
            g.addNode(OnnxGraphParts.node("Reshape", "logits", sum, "flat_shape"));
            g.addOutput(OnnxGraphParts.tensorInfo("logits", DataType.FLOAT, "tokens", labels));
        } else {
            g.addNode(OnnxGraphParts.node("Identity", "logits", sum));
            g.addOutput(OnnxGraphParts.tensorInfo("logits", DataType.FLOAT, "batch", "seq", labels));
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("linguagate-testmodel")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(g)
                .build();
    }

    /** Adds {@code acc + Unsqueeze(0 * Cast(input), -1)} and returns the name of the sum. */
    private static String addZeroTerm(GraphProto.Builder g, String input, String acc, String out) {
        g.addNode(OnnxGraphParts.node("Cast", "to", FLOAT_TYPE, input + "_f", input));
        g.addNode(OnnxGraphParts.node("Mul", input + "_zero", input + "_f", "zero"));
        g.addNode(OnnxGraphParts.node("Unsqueeze", input + "_term", input + "_zero", "last_axis"));
        g.addNode(OnnxGraphParts.node("Add", out, acc, input + "_term"));
        return out;
    }

    /** Options of a {@link TinyClassifierOnnx}; defaults give a valid BERT-shaped model. */
    public static final class Builder {
        private final int vocabSize;
        private int tableRows = -1;
        private int labels = 2;
        private boolean tokenTypeIds = true;
        private boolean rank2Output;
        private IntToDoubleFunction keepProbability = TinyClassifierOnnx::defaultKeepProbability;

        private Builder(int vocabSize) {
            if (vocabSize < 1) {
                throw new IllegalArgumentException("vocabSize must be positive: " + vocabSize);
            }
            this.vocabSize = vocabSize;
        }

        /** Keep probability per token id (softmax of label 1); default {@link #defaultKeepProbability}. */
        public Builder keepProbability(IntToDoubleFunction p) {
            this.keepProbability = p;
            return this;
        }

        /** Keep probability per token id from an array indexed by id (missing ids get 0.5). */
        public Builder keepProbabilities(double[] p) {
            double[] copy = p.clone();
            this.keepProbability = id -> id < copy.length ? copy[id] : 0.5;
            return this;
        }

        /** BERT-shaped (true, the default) declares {@code token_type_ids}; XLM-R-shaped does not. */
        public Builder tokenTypeIds(boolean declared) {
            this.tokenTypeIds = declared;
            return this;
        }

        /** Broken variant: a table with fewer rows than the vocabulary. */
        public Builder tableRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("rows must be positive: " + rows);
            }
            this.tableRows = rows;
            return this;
        }

        /** Broken variant when not 2: output last dimension (extra labels get logit 0). */
        public Builder labels(int count) {
            if (count < 2) {
                throw new IllegalArgumentException("labels must be >= 2: " + count);
            }
            this.labels = count;
            return this;
        }

        /** Broken variant: output reshaped to rank 2, {@code [batch*seq, labels]}. */
        public Builder rank2Output() {
            this.rank2Output = true;
            return this;
        }

        /** The model description; serialize it with {@link TinyClassifierOnnx#writeTo(Path)}. */
        public TinyClassifierOnnx build() {
            return new TinyClassifierOnnx(this);
        }
    }
}
