package io.linguagate.model.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The architecture of a HuggingFace token-classification checkpoint, from its {@code config.json}: a BERT
 * ({@code BertForTokenClassification}) or XLM-RoBERTa ({@code XLMRobertaForTokenClassification}) encoder with a
 * 2-label head, as LLMLingua-2 uses. Anything the converter cannot reproduce exactly (another activation, relative
 * positions, another label count) is refused with a message naming {@code config.json} and the setting.
 *
 * @param file                  the config.json read
 * @param family                from {@code model_type}
 * @param hiddenSize            {@code hidden_size}
 * @param numHiddenLayers       {@code num_hidden_layers}
 * @param numAttentionHeads     {@code num_attention_heads} (divides hidden_size)
 * @param intermediateSize      {@code intermediate_size}
 * @param layerNormEps          {@code layer_norm_eps} (HF default 1e-12)
 * @param vocabSize             {@code vocab_size}: rows of the word embedding
 * @param maxPositionEmbeddings {@code max_position_embeddings}: rows of the position embedding
 * @param typeVocabSize         {@code type_vocab_size} (HF default 2)
 * @param padTokenId            {@code pad_token_id} (HF default 0 for BERT, 1 for XLM-R); XLM-R positions start
 *                              after it
 * @param numLabels             {@code num_labels}, or the size of {@code id2label}; always 2 here
 */
public record CheckpointConfig(Path file, Family family, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
        int intermediateSize, double layerNormEps, int vocabSize, int maxPositionEmbeddings, int typeVocabSize,
        int padTokenId, int numLabels) {

    /** LLMLingua-2 keeps or drops each token. */
    public static final int LABELS = 2;

    /** The two encoder families, with their {@code model_type} and the prefix of their encoder's tensor names. */
    public enum Family {
        BERT("bert", "bert."),
        XLM_ROBERTA("xlm-roberta", "roberta.");

        private final String modelType;
        private final String prefix;

        Family(String modelType, String prefix) {
            this.modelType = modelType;
            this.prefix = prefix;
        }

        /** {@code config.json}'s {@code model_type}. */
        public String modelType() {
            return modelType;
        }

        /** Prefix of the encoder's tensor names in a *ForTokenClassification checkpoint. */
        public String tensorPrefix() {
            return prefix;
        }
    }

    /** Reads and checks {@code configJson}. */
    public static CheckpointConfig read(Path configJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(configJson));
        } catch (IOException e) {
            if (!Files.exists(configJson)) {
                throw new ModelLoadException("Missing " + configJson + " (the checkpoint's model configuration)");
            }
            throw new ModelLoadException(configJson + " is not valid JSON: "
                    + SafetensorsFile.firstLine(e.getMessage()));
        }
        return parse(configJson, root);
    }

    /** Checks an already parsed {@code config.json} ({@code file} names it in messages). */
    public static CheckpointConfig parse(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ModelLoadException(file + " must hold a JSON object");
        }
        JsonNode type = root.path("model_type");
        if (!type.isTextual()) {
            throw new ModelLoadException(file + " has no \"model_type\"; expected \"bert\" or \"xlm-roberta\"");
        }
        Family family = switch (type.textValue()) {
            case "bert" -> Family.BERT;
            case "xlm-roberta" -> Family.XLM_ROBERTA;
            default -> throw new ModelLoadException(file + ": model_type \"" + type.textValue() + "\" cannot be "
                    + "converted; LLMLingua-2 checkpoints are \"bert\" or \"xlm-roberta\"");
        };
        int hidden = positive(file, root, "hidden_size");
        int layers = positive(file, root, "num_hidden_layers");
        int heads = positive(file, root, "num_attention_heads");
        if (hidden % heads != 0) {
            throw new ModelLoadException(file + ": hidden_size " + hidden + " is not a multiple of "
                    + "num_attention_heads " + heads);
        }
        int intermediate = positive(file, root, "intermediate_size");
        int vocab = positive(file, root, "vocab_size");
        int positions = positive(file, root, "max_position_embeddings");
        int types = root.has("type_vocab_size") ? positive(file, root, "type_vocab_size") : 2;
        JsonNode act = root.path("hidden_act");
        String activation = act.isMissingNode() ? "gelu" : act.isTextual() ? act.textValue() : act.toString();
        if (!activation.equals("gelu")) {
            throw new ModelLoadException(file + ": hidden_act " + act + " is not supported; the converter builds "
                    + "the exact (erf) GELU that \"gelu\" means");
        }
        JsonNode positionType = root.path("position_embedding_type");
        if (!positionType.isMissingNode() && !positionType.isNull() && !"absolute".equals(positionType.asText())) {
            throw new ModelLoadException(file + ": position_embedding_type " + positionType + " is not supported; "
                    + "only \"absolute\" positions can be converted");
        }
        double eps = 1e-12;
        if (root.has("layer_norm_eps")) {
            JsonNode e = root.get("layer_norm_eps");
            if (!e.isNumber() || !(e.doubleValue() > 0) || e.doubleValue() >= 1) {
                throw new ModelLoadException(file + ": layer_norm_eps must be a small positive number, found " + e);
            }
            eps = e.doubleValue();
        }
        int pad = family == Family.XLM_ROBERTA ? 1 : 0;
        if (root.has("pad_token_id") && !root.get("pad_token_id").isNull()) {
            JsonNode p = root.get("pad_token_id");
            if (!p.isIntegralNumber() || !p.canConvertToInt() || p.intValue() < 0 || p.intValue() >= vocab) {
                throw new ModelLoadException(file + ": pad_token_id must be a token id below vocab_size " + vocab
                        + ", found " + p);
            }
            pad = p.intValue();
        }
        int labels;
        if (root.has("num_labels")) {
            JsonNode n = root.get("num_labels");
            if (!n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new ModelLoadException(file + ": num_labels must be an integer, found " + n);
            }
            labels = n.intValue();
        } else if (root.path("id2label").isObject()) {
            labels = root.get("id2label").size();
        } else {
            labels = LABELS;
        }
        if (labels != LABELS) {
            throw new ModelLoadException(file + ": num_labels is " + labels + " (from " + (root.has("num_labels")
                    ? "num_labels" : "id2label") + "); an LLMLingua-2 token classifier has exactly 2 labels "
                    + "(drop, keep)");
        }
        if (family == Family.XLM_ROBERTA && positions <= pad + 1) {
            throw new ModelLoadException(file + ": max_position_embeddings " + positions + " leaves no positions "
                    + "after pad_token_id " + pad + " (XLM-R positions start at pad_token_id + 1)");
        }
        return new CheckpointConfig(file, family, hidden, layers, heads, intermediate, eps, vocab, positions, types,
                pad, labels);
    }

    private static int positive(Path file, JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null) {
            throw new ModelLoadException(file + " has no \"" + field + "\"");
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0) {
            throw new ModelLoadException(file + ": \"" + field + "\" must be a positive integer, found " + n);
        }
        return n.intValue();
    }

    /** Size of one attention head: hidden_size / num_attention_heads. */
    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    /** Longest sequence the position embedding covers (XLM-R loses pad_token_id + 1 rows to its offset). */
    public int maxSequenceLength() {
        return family == Family.XLM_ROBERTA ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /** One line for logs: {@code bert: 12 layers, hidden 768, 12 heads}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d layers, hidden %d, %d heads, intermediate %d, vocab %d",
                family.modelType(), numHiddenLayers, hiddenSize, numAttentionHeads, intermediateSize, vocabSize);
    }
}
