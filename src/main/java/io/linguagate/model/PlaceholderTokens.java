package io.linguagate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes sure a {@code tokenizer.json} tree has LLMLingua-2's 100 placeholders {@code [NEW0]..[NEW99]} as special
 * added tokens. The official checkpoints have them; a tokenizer saved without them gets them with consecutive ids
 * after the highest id it already has, which is where the checkpoints' resized embedding put them.
 */
final class PlaceholderTokens {

    static final int COUNT = 100;

    private PlaceholderTokens() {
    }

    static String placeholder(int i) {
        return "[NEW" + i + "]";
    }

    /**
     * Adds the missing placeholders to {@code tokenizer} in place.
     *
     * @return how many were added (0 when all were there)
     */
    static int addMissing(ObjectNode tokenizer, Path file) {
        JsonNode added = tokenizer.path("added_tokens");
        if (!added.isMissingNode() && !added.isArray()) {
            throw new ModelLoadException(file + ": \"added_tokens\" must be an array");
        }
        ArrayNode addedTokens = added.isArray() ? (ArrayNode) added : tokenizer.putArray("added_tokens");
        Set<String> present = new HashSet<>();
        for (JsonNode token : addedTokens) {
            present.add(token.path("content").asText());
        }
        int next = highestId(tokenizer, file) + 1;
        int count = 0;
        for (int i = 0; i < COUNT; i++) {
            String content = placeholder(i);
            if (present.contains(content)) {
                continue;
            }
            addedTokens.addObject()
                    .put("id", next++)
                    .put("content", content)
                    .put("single_word", false)
                    .put("lstrip", false)
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
            count++;
        }
        return count;
    }

    /** The highest id in the model's vocabulary (WordPiece: a map; Unigram: a list) or its added tokens. */
    static int highestId(ObjectNode tokenizer, Path file) {
        JsonNode vocab = tokenizer.path("model").path("vocab");
        int highest;
        if (vocab.isObject()) {
            highest = -1;
            for (JsonNode id : vocab) {
                highest = Math.max(highest, id.asInt());
            }
        } else if (vocab.isArray()) {
            highest = vocab.size() - 1;
        } else {
            throw new ModelLoadException(file + " has no model.vocab; is it a HuggingFace fast-tokenizer file?");
        }
        for (JsonNode token : tokenizer.path("added_tokens")) {
            highest = Math.max(highest, token.path("id").asInt());
        }
        return highest;
    }
}
