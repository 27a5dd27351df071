package io.linguagate.model.convert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A small HuggingFace-style token-classification checkpoint with random weights, kept in memory (for the
 * reference forward pass) and written as {@code config.json} + {@code model.safetensors}. Tensor names and shapes
 * follow BertForTokenClassification / XLMRobertaForTokenClassification: encoder tensors under {@code bert.} or
 * {@code roberta.}, the head as {@code classifier.weight [2, hidden]} and {@code classifier.bias [2]}; Linear
 * weights are {@code [out, in]}.
 */
public final class RandomCheckpoint {

    final Family family;
    final int hidden;
    final int layers;
    final int heads;
    final int intermediate;
    final int vocab;
    final int maxPositions;
    final int typeVocab;
    final int pad;
    final double eps;
    /** Encoder-relative names (and {@code classifier.*}) to row-major values. */
    final Map<String, float[]> weights = new LinkedHashMap<>();
    final Map<String, long[]> shapes = new LinkedHashMap<>();

    private RandomCheckpoint(Family family, int hidden, int layers, int heads, int intermediate, int vocab,
            int maxPositions, int typeVocab, int pad, double eps) {
        this.family = family;
        this.hidden = hidden;
        this.layers = layers;
        this.heads = heads;
        this.intermediate = intermediate;
        this.vocab = vocab;
        this.maxPositions = maxPositions;
        this.typeVocab = typeVocab;
        this.pad = pad;
        this.eps = eps;
    }

    /** hidden 32, 2 layers, 4 heads, intermediate 64, vocab 50, 40 positions (XLM-R: + pad + 1). */
    static RandomCheckpoint small(Family family, long seed) {
        return sized(family, 50, family == Family.BERT ? 40 : 42, seed);
    }

    /** As {@link #small}, with {@code vocab} word-embedding rows and {@code maxPositions} position rows. */
    public static RandomCheckpoint sized(Family family, int vocab, int maxPositions, long seed) {
        boolean bert = family == Family.BERT;
        RandomCheckpoint c = new RandomCheckpoint(family, 32, 2, 4, 64, vocab, maxPositions, bert ? 2 : 1,
                bert ? 0 : 1, bert ? 1e-12 : 1e-5);
        c.randomize(new Random(seed));
        return c;
    }

    private void randomize(Random r) {
        matrix(r, "embeddings.word_embeddings.weight", 0.5, vocab, hidden);
        matrix(r, "embeddings.position_embeddings.weight", 0.5, maxPositions, hidden);
        matrix(r, "embeddings.token_type_embeddings.weight", 0.5, typeVocab, hidden);
        layerNorm(r, "embeddings.LayerNorm");
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            linear(r, p + "attention.self.query", hidden, hidden);
            linear(r, p + "attention.self.key", hidden, hidden);
            linear(r, p + "attention.self.value", hidden, hidden);
            linear(r, p + "attention.output.dense", hidden, hidden);
            layerNorm(r, p + "attention.output.LayerNorm");
            linear(r, p + "intermediate.dense", hidden, intermediate);
            linear(r, p + "output.dense", intermediate, hidden);
            layerNorm(r, p + "output.LayerNorm");
        }
        linear(r, "classifier", hidden, 2);
    }

    private void linear(Random r, String module, int in, int out) {
        matrix(r, module + ".weight", 0.25, out, in);
        matrix(r, module + ".bias", 0.1, out);
    }

    private void layerNorm(Random r, String module) {
        float[] g = new float[hidden];
        for (int i = 0; i < hidden; i++) {
            g[i] = (float) (1 + 0.1 * r.nextGaussian());
        }
        put(module + ".weight", g, hidden);
        matrix(r, module + ".bias", 0.1, hidden);
    }

    private void matrix(Random r, String name, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * r.nextGaussian());
        }
        put(name, v, shape);
    }

    private void put(String name, float[] values, long... shape) {
        weights.put(name, values);
        shapes.put(name, shape);
    }

    float[] w(String name) {
        float[] v = weights.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name);
        }
        return v;
    }

    /** Every weight rounded as {@code dtype} stores it: what the converter will read back. */
    RandomCheckpoint roundedTo(Dtype dtype) {
        RandomCheckpoint c = new RandomCheckpoint(family, hidden, layers, heads, intermediate, vocab, maxPositions,
                typeVocab, pad, eps);
        weights.forEach((name, v) -> {
            float[] r = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = SafetensorsWriter.roundTo(dtype, v[i]);
            }
            c.put(name, r, shapes.get(name));
        });
        return c;
    }

    /** Name in the checkpoint file: encoder tensors get the family prefix when {@code prefixed}. */
    String storedName(String name, boolean prefixed) {
        return name.startsWith("classifier.") || !prefixed ? name : family.tensorPrefix() + name;
    }

    /** The HF config.json. */
    ObjectNode config() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        boolean bert = family == Family.BERT;
        c.putArray("architectures").add(bert ? "BertForTokenClassification" : "XLMRobertaForTokenClassification");
        c.put("model_type", family.modelType());
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("intermediate_size", intermediate);
        c.put("hidden_act", "gelu");
        c.put("hidden_dropout_prob", 0.1);
        c.put("attention_probs_dropout_prob", 0.1);
        c.put("layer_norm_eps", eps);
        c.put("vocab_size", vocab);
        c.put("max_position_embeddings", maxPositions);
        c.put("type_vocab_size", typeVocab);
        c.put("pad_token_id", pad);
        c.put("position_embedding_type", "absolute");
        c.put("torch_dtype", "float32");
        ObjectNode id2label = c.putObject("id2label");
        id2label.put("0", "LABEL_0");
        id2label.put("1", "LABEL_1");
        ObjectNode label2id = c.putObject("label2id");
        label2id.put("LABEL_0", 0);
        label2id.put("LABEL_1", 1);
        return c;
    }

    /** Writes config.json and model.safetensors (F32, prefixed names) into {@code dir}. */
    public Path writeTo(Path dir) {
        return writeTo(dir, Dtype.F32, true, cfg -> { }, w -> { });
    }

    /**
     * Writes {@code dir/config.json} (after {@code editConfig}) and {@code dir/model.safetensors} with every weight
     * stored as {@code dtype}; {@code editWeights} may add tensors or change the writer before it writes.
     */
    Path writeTo(Path dir, Dtype dtype, boolean prefixed, Consumer<ObjectNode> editConfig,
            Consumer<SafetensorsWriter> editWeights) {
        try {
            Files.createDirectories(dir);
            ObjectNode cfg = config();
            editConfig.accept(cfg);
            Files.writeString(dir.resolve("config.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(cfg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SafetensorsWriter writer = new SafetensorsWriter();
        if (family == Family.BERT) {
            // Older BERT checkpoints carry this int64 buffer; the converter must ignore it.
            float[] ids = new float[maxPositions];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            writer.add(storedName("embeddings.position_ids", prefixed), Dtype.I64, new long[] {1, maxPositions},
                    ids);
        }
        weights.forEach((name, v) -> writer.add(storedName(name, prefixed), dtype, shapes.get(name), v));
        editWeights.accept(writer);
        writer.write(dir.resolve("model.safetensors"));
        return dir;
    }
}
