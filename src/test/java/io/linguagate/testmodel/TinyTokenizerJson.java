package io.linguagate.testmodel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made {@code tokenizer.json} files that DJL's {@code HuggingFaceTokenizer} loads offline, so
 * tests run the real tokenizer pipeline with a vocabulary small enough to reason about.
 *
 * <p>BERT (cased WordPiece): {@code [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4}, then the caller's
 * words from id 5. XLM-R (SentencePiece Unigram): {@code <s>=0, <pad>=1, </s>=2, <unk>=3}, the
 * caller's pieces from id 4, then {@code <mask>}. With placeholders, {@code [NEW0]..[NEW99]} follow
 * as special added tokens with consecutive ids. JSON is built with Gson, which DJL's API jar
 * already depends on.
 */
public final class TinyTokenizerJson {

    /** File name DJL looks for in a model directory. */
    public static final String FILE_NAME = "tokenizer.json";
    /** Number of {@code [NEWi]} placeholder tokens. */
    public static final int PLACEHOLDER_COUNT = 100;
    /** Ids of BERT's special tokens in the files written here. */
    public static final int BERT_PAD = 0;
    public static final int BERT_UNK = 1;
    public static final int BERT_CLS = 2;
    public static final int BERT_SEP = 3;
    public static final int BERT_MASK = 4;
    /** Ids of XLM-R's special tokens ({@code <mask>} is the last base id). */
    public static final int XLMR_BOS = 0;
    public static final int XLMR_PAD = 1;
    public static final int XLMR_EOS = 2;
    public static final int XLMR_UNK = 3;

    /** A small cased English vocabulary with a continuation piece ({@code ##ing}). */
    public static final List<String> DEFAULT_BERT_WORDS = List.of(
            "Hello", "world", ".", ",", "!", "?", "the", "a", "b", "ok", "walk", "talk", "##ing", "##s",
            "is", "are", "meeting", "notes", "we", "will", "ship", "on", "Monday", "Zo", "##ë", "東", "京");

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final List<String> BERT_SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");
    private static final List<String> XLMR_SPECIALS = List.of("<s>", "<pad>", "</s>", "<unk>");

    private TinyTokenizerJson() {
    }

    /** The i-th placeholder token, {@code [NEWi]}. */
    public static String placeholder(int i) {
        return "[NEW" + i + "]";
    }

    /** Pieces with scores for an XLM-R-like Unigram model (English words, "▁", letters). */
    public static Map<String, Double> defaultXlmrPieces() {
        Map<String, Double> p = new LinkedHashMap<>();
        String[] words = {"▁Hello", "▁world", ".", ",", "▁the", "▁a", "▁b", "▁ok", "▁walk", "▁talk", "ing", "s",
            "▁is", "▁are", "▁meeting", "▁notes", "▁we", "▁will", "▁ship", "▁on", "▁Monday", "▁Zoë", "▁東京"};
        for (String w : words) {
            p.put(w, -5.0);
        }
        p.put("▁", -3.0);
        for (char c = 'a'; c <= 'z'; c++) {
            p.put(String.valueOf(c), -10.0);
        }
        return p;
    }

    /** A cased BERT WordPiece tokenizer.json over {@code words} (ids from 5, in order). */
    public static String bertWordPiece(List<String> words, boolean placeholders) {
        JsonObject vocab = new JsonObject();
        JsonArray added = new JsonArray();
        for (String s : BERT_SPECIALS) {
            added.add(TokenizerJsonParts.addedToken(vocab.size(), s, true, false));
            vocab.addProperty(s, vocab.size());
        }
        for (String w : words) {
            if (!vocab.has(w)) {
                vocab.addProperty(w, vocab.size());
            }
        }
        JsonObject normalizer = TokenizerJsonParts.typed("BertNormalizer");
        normalizer.addProperty("clean_text", true);
        normalizer.addProperty("handle_chinese_chars", true);
        normalizer.addProperty("strip_accents", false);
        normalizer.addProperty("lowercase", false);
        JsonObject model = TokenizerJsonParts.typed("WordPiece");
        model.addProperty("unk_token", "[UNK]");
        model.addProperty("continuing_subword_prefix", "##");
        model.addProperty("max_input_chars_per_word", 100);
        model.add("vocab", vocab);
        JsonObject decoder = TokenizerJsonParts.typed("WordPiece");
        decoder.addProperty("prefix", "##");
        decoder.addProperty("cleanup", true);
        JsonObject root = TokenizerJsonParts.root(added);
        root.add("normalizer", normalizer);
        root.add("pre_tokenizer", TokenizerJsonParts.typed("BertPreTokenizer"));
        root.add("post_processor", TokenizerJsonParts.template("[CLS]", BERT_CLS, "[SEP]", BERT_SEP, false));
        root.add("decoder", decoder);
        root.add("model", model);
        return finish(root, placeholders);
    }

    /**
     * An XLM-R-like Unigram tokenizer.json over {@code pieces} (insertion order gives ids from 4).
     * Normalizer {@code Replace(\s+ -> " ")} stands in for SentencePiece's whitespace handling, so a
     * newline yields no token; Metaspace uses {@code prepend_scheme "always"} and {@code split true}.
     */
    public static String xlmRobertaUnigram(Map<String, Double> pieces, boolean placeholders) {
        JsonArray vocab = new JsonArray();
        JsonArray added = new JsonArray();
        for (String s : XLMR_SPECIALS) {
            added.add(TokenizerJsonParts.addedToken(vocab.size(), s, true, false));
            vocab.add(piece(s, 0.0));
        }
        for (Map.Entry<String, Double> e : pieces.entrySet()) {
            vocab.add(piece(e.getKey(), e.getValue()));
        }
        int maskId = vocab.size();
        added.add(TokenizerJsonParts.addedToken(maskId, "<mask>", true, true));
        vocab.add(piece("<mask>", 0.0));
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", "\\s+");
        JsonObject normalizer = TokenizerJsonParts.typed("Replace");
        normalizer.add("pattern", pattern);
        normalizer.addProperty("content", " ");
        JsonObject model = TokenizerJsonParts.typed("Unigram");
        model.addProperty("unk_id", XLMR_UNK);
        model.add("vocab", vocab);
        model.addProperty("byte_fallback", false);
        JsonObject root = TokenizerJsonParts.root(added);
        root.add("normalizer", normalizer);
        root.add("pre_tokenizer", metaspace());
        root.add("post_processor", TokenizerJsonParts.template("<s>", XLMR_BOS, "</s>", XLMR_EOS, true));
        root.add("decoder", metaspace());
        root.add("model", model);
        return finish(root, placeholders);
    }

    /** Adds {@code [NEW0]..[NEW99]} as special added tokens with ids from {@link #idCount} (call once per file). */
    public static String withPlaceholders(String tokenizerJson) {
        JsonObject root = JsonParser.parseString(tokenizerJson).getAsJsonObject();
        return finish(root, true);
    }

    /** Reads a tokenizer.json and returns it with {@code [NEW0]..[NEW99]} added. */
    public static String withPlaceholders(Path tokenizerJson) throws IOException {
        return withPlaceholders(Files.readString(tokenizerJson, StandardCharsets.UTF_8));
    }

    /** One more than the highest id in the model vocabulary and the added tokens. */
    public static int idCount(String tokenizerJson) {
        return idCount(JsonParser.parseString(tokenizerJson).getAsJsonObject());
    }

    /** Writes {@code json} as {@code dir/tokenizer.json} (creating {@code dir}). */
    public static Path write(Path dir, String json) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(FILE_NAME), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String finish(JsonObject root, boolean placeholders) {
        if (placeholders) {
            JsonArray added = root.getAsJsonArray("added_tokens");
            int next = idCount(root);
            for (int i = 0; i < PLACEHOLDER_COUNT; i++) {
                added.add(TokenizerJsonParts.addedToken(next + i, placeholder(i), true, false));
            }
        }
        return GSON.toJson(root);
    }

    private static int idCount(JsonObject root) {
        int max = -1;
        JsonElement vocab = root.getAsJsonObject("model").get("vocab");
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                max = Math.max(max, e.getValue().getAsInt());
            }
        } else {
            max = vocab.getAsJsonArray().size() - 1;
        }
        for (JsonElement t : root.getAsJsonArray("added_tokens")) {
            max = Math.max(max, t.getAsJsonObject().get("id").getAsInt());
        }
        return max + 1;
    }

    private static JsonArray piece(String token, double score) {
        JsonArray p = new JsonArray();
        p.add(token);
        p.add(score);
        return p;
    }

    private static JsonObject metaspace() {
        JsonObject m = TokenizerJsonParts.typed("Metaspace");
        m.addProperty("replacement", "▁");
        m.addProperty("prepend_scheme", "always");
        m.addProperty("split", true);
        return m;
    }
}
