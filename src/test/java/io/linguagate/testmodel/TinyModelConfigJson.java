package io.linguagate.testmodel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hugging Face {@code config.json} for the tiny models, with the fields a loader reads
 * ({@code model_type}, {@code vocab_size}, {@code max_position_embeddings}, {@code pad_token_id},
 * labels) and values shaped like the real LLMLingua-2 checkpoints' configs.
 */
public final class TinyModelConfigJson {

    /** File name of the model configuration. */
    public static final String FILE_NAME = "config.json";

    private TinyModelConfigJson() {
    }

    /** A BERT token-classifier config: 512 positions, {@code [PAD]=0}, 2 token types. */
    public static String bert(int vocabSize) {
        return of("bert", "BertForTokenClassification", vocabSize, 512, TinyTokenizerJson.BERT_PAD, 2);
    }

    /** An XLM-R token-classifier config: 514 positions, {@code <pad>=1}, bos 0, eos 2, 1 token type. */
    public static String xlmRoberta(int vocabSize) {
        return of("xlm-roberta", "XLMRobertaForTokenClassification", vocabSize, 514, TinyTokenizerJson.XLMR_PAD, 1);
    }

    /** Any config of the two families' shape; label 1 is "keep" as in LLMLingua-2. */
    public static String of(String modelType, String architecture, int vocabSize, int maxPositions,
            int padTokenId, int typeVocabSize) {
        JsonObject c = new JsonObject();
        JsonArray arch = new JsonArray();
        arch.add(architecture);
        c.add("architectures", arch);
        c.addProperty("model_type", modelType);
        c.addProperty("vocab_size", vocabSize);
        c.addProperty("max_position_embeddings", maxPositions);
        c.addProperty("pad_token_id", padTokenId);
        if ("xlm-roberta".equals(modelType)) {
            c.addProperty("bos_token_id", TinyTokenizerJson.XLMR_BOS);
            c.addProperty("eos_token_id", TinyTokenizerJson.XLMR_EOS);
        }
        c.addProperty("type_vocab_size", typeVocabSize);
        c.addProperty("hidden_size", 8);
        c.addProperty("num_attention_heads", 1);
        c.addProperty("num_hidden_layers", 1);
        JsonObject id2label = new JsonObject();
        id2label.addProperty("0", "LABEL_0");
        id2label.addProperty("1", "LABEL_1");
        c.add("id2label", id2label);
        JsonObject label2id = new JsonObject();
        label2id.addProperty("LABEL_0", 0);
        label2id.addProperty("LABEL_1", 1);
        c.add("label2id", label2id);
        return new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create().toJson(c);
    }

    /** Writes {@code json} as {@code dir/config.json} (creating {@code dir}). */
    public static Path write(Path dir, String json) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(FILE_NAME), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
