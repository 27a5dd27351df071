package io.linguagate.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.lingua.ClassifierTokenizer;
import io.linguagate.lingua.LoneSurrogates;
import io.linguagate.lingua.TokenizedText;
import io.linguagate.lingua.TokenizerFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * The classifier's HuggingFace tokenizer ({@code tokenizer.json}, run by DJL's bindings offline): no special tokens
 * added, no truncation, no padding, with the {@code [NEWi]} placeholders present. Special tokens and the framing
 * ids are read from the file itself.
 */
public final class HfClassifierTokenizer implements ClassifierTokenizer, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HfClassifierTokenizer.class);
    /** Whole-input tokenization: the compressor chunks by itself and must see every token. */
    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false",
            "truncation", "false",
            "padding", "false",
            "withOverflowingTokens", "false");

    private final TokenizerFamily family;
    private final HuggingFaceTokenizer tokenizer;
    private final BitSet special;
    private final Map<String, Integer> placeholders;
    private final SequenceIds sequenceIds;
    private final int vocabularySize;

    private HfClassifierTokenizer(TokenizerFamily family, HuggingFaceTokenizer tokenizer, BitSet special,
            Map<String, Integer> placeholders, SequenceIds sequenceIds, int vocabularySize) {
        this.family = family;
        this.tokenizer = tokenizer;
        this.special = special;
        this.placeholders = placeholders;
        this.sequenceIds = sequenceIds;
        this.vocabularySize = vocabularySize;
    }

    /** Loads {@code files.tokenizer()}, adding the placeholders when it lacks them. */
    static HfClassifierTokenizer load(ModelDirectory files) {
        Path file = files.tokenizer();
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree;
        try {
            JsonNode parsed = json.readTree(Files.readAllBytes(file));
            if (!(parsed instanceof ObjectNode object)) {
                throw new ModelLoadException(file + " must hold a JSON object");
            }
            tree = object;
        } catch (IOException e) {
            throw new ModelLoadException(file + " is not valid JSON: " + ModelDirectory.firstLine(e.getMessage()));
        }
        int added = PlaceholderTokens.addMissing(tree, file);
        if (added > 0) {
            LOG.infof("%s lacks %d of the [NEWi] placeholder tokens; added them as special tokens", file, added);
        }
        BitSet special = new BitSet();
        Map<String, Integer> placeholders = new HashMap<>();
        Map<String, Integer> specialIds = new HashMap<>();
        for (JsonNode token : tree.path("added_tokens")) {
            String content = token.path("content").asText();
            int id = token.path("id").asInt();
            if (content.startsWith("[NEW") && content.endsWith("]")) {
                placeholders.put(content, id);
            } else if (token.path("special").asBoolean(false)) {
                special.set(id);
                specialIds.put(content, id);
            }
        }
        // The unknown token stands for real text (emoji, rare scripts): a word, not a special token to skip.
        unknownId(tree).ifPresent(special::clear);
        SequenceIds frame = frame(files.family(), specialIds, file);
        HuggingFaceTokenizer hf;
        try {
            DjlOffline.ensure();
            hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.writeValueAsBytes(tree)), OPTIONS);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(file + " cannot be loaded by the HuggingFace tokenizer: " + e.getMessage());
        }
        return new HfClassifierTokenizer(files.family(), hf, special, Map.copyOf(placeholders), frame,
                PlaceholderTokens.highestId(tree, file) + 1);
    }

    /** WordPiece names its unknown token ({@code unk_token}); Unigram gives its id ({@code unk_id}). */
    private static OptionalInt unknownId(ObjectNode tree) {
        JsonNode model = tree.path("model");
        if (model.path("unk_id").isInt()) {
            return OptionalInt.of(model.path("unk_id").intValue());
        }
        JsonNode id = model.path("vocab").path(model.path("unk_token").asText(""));
        return id.isInt() ? OptionalInt.of(id.intValue()) : OptionalInt.empty();
    }

    private static SequenceIds frame(TokenizerFamily family, Map<String, Integer> specialIds, Path file) {
        String begin = family == TokenizerFamily.WORDPIECE ? "[CLS]" : "<s>";
        String end = family == TokenizerFamily.WORDPIECE ? "[SEP]" : "</s>";
        String pad = family == TokenizerFamily.WORDPIECE ? "[PAD]" : "<pad>";
        for (String name : new String[] {begin, end, pad}) {
            if (!specialIds.containsKey(name)) {
                throw new ModelLoadException(file + " has no special token " + name + " (needed to frame and pad "
                        + "model inputs); is it the tokenizer of this model family?");
            }
        }
        return new SequenceIds(specialIds.get(begin), specialIds.get(end), specialIds.get(pad));
    }

    @Override
    public TokenizerFamily family() {
        return family;
    }

    @Override
    public TokenizedText tokenize(String text) {
        if (text.isEmpty()) {
            return TokenizedText.empty();
        }
        Encoding encoding = tokenizer.encode(LoneSurrogates.replaced(text), false, false);
        long[] longIds = encoding.getIds();
        String[] pieces = encoding.getTokens();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int n = longIds.length;
        int[] ids = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) longIds[i];
            CharSpan span = spans[i];
            starts[i] = span == null ? (i == 0 ? 0 : ends[i - 1]) : span.getStart();
            ends[i] = span == null ? starts[i] : span.getEnd();
        }
        return TokenizedText.fromCodePointOffsets(text, ids, pieces, starts, ends);
    }

    @Override
    public boolean isSingleToken(String text) {
        return !text.isEmpty() && tokenizer.encode(LoneSurrogates.replaced(text), false, false).getIds().length == 1;
    }



    @Override
    public boolean isSpecial(int tokenId) {
        return special.get(tokenId);
    }

    @Override
    public OptionalInt placeholderId(String placeholder) {
        Integer id = placeholders.get(placeholder);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Ids that frame and pad the model's input. */
    SequenceIds sequenceIds() {
        return sequenceIds;
    }

    /** Highest token id + 1, placeholders included: the rows the model's embedding must have. */
    int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
