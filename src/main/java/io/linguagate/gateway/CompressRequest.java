package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.InvalidCompressionOptionException;
import io.linguagate.lingua.TokenToWord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A {@code POST /v1/compress} request, read strictly from its JSON tree: the reference's snake_case parameters, each
 * type-checked, unknown parameters refused (a misspelt option must not be silently ignored).
 *
 * @param contexts  the prompt as a list of contexts (a single string is one context)
 * @param listInput whether the prompt was given as a list (the reply then mirrors the reference's list handling)
 * @param options   the compression options
 * @param model     the target LLM named by the caller, for token counting and price
 * @param encoding  an explicit target-LLM token encoding ({@code cl100k_base}, ...), overriding the model's
 * @param protect   LinguaGate's extension {@code protect: true}: code, JSON, URLs, e-mails and numbers are forced
 *                  (kept verbatim), as in chat compression; off by default (the reference protects nothing)
 * @param json      extension {@code json: true}: each prompt is a JSON document, compressed string value by value
 */
record CompressRequest(List<String> contexts, boolean listInput, CompressionOptions options, Optional<String> model,
        Optional<String> encoding, boolean protect, boolean json) {

    private static final Set<String> OTHER_FIELDS = Set.of("prompt", "model", "encoding", "protect", "json");
    /** Options that have no meaning for a document compressed string by string. */
    private static final List<String> NOT_WITH_JSON = List.of("target_token", "use_context_level_filter",
            "target_context", "context_level_rate", "context_level_target_token", "force_context_ids",
            "return_word_label", "return_words");

    /** Setters of option fields by their API name; each checks the JSON type it needs. */
    private static final Map<String, BiConsumer<CompressionOptions.Builder, Field>> OPTIONS = Map.ofEntries(
            Map.entry("rate", (b, f) -> b.rate(f.number())),
            Map.entry("target_token", (b, f) -> b.targetToken(f.integer())),
            Map.entry("force_tokens", (b, f) -> b.forceTokens(f.strings())),
            Map.entry("force_reserve_digit", (b, f) -> b.forceReserveDigit(f.bool())),
            Map.entry("drop_consecutive", (b, f) -> b.dropConsecutive(f.bool())),
            Map.entry("token_to_word", (b, f) -> b.tokenToWord(TokenToWord.parse(f.string()))),
            Map.entry("chunk_end_tokens", (b, f) -> b.chunkEndTokens(f.strings())),
            Map.entry("use_context_level_filter", (b, f) -> b.useContextLevelFilter(f.bool())),
            Map.entry("use_token_level_filter", (b, f) -> b.useTokenLevelFilter(f.bool())),
            Map.entry("context_level_rate", (b, f) -> b.contextLevelRate(f.number())),
            Map.entry("target_context", (b, f) -> b.targetContext(f.integer())),
            Map.entry("context_level_target_token", (b, f) -> b.contextLevelTargetToken(f.integer())),
            Map.entry("force_context_ids", (b, f) -> b.forceContextIds(f.integers())),
            Map.entry("return_word_label", (b, f) -> b.returnWordLabel(f.bool())),
            Map.entry("word_sep", (b, f) -> b.wordSep(f.string())),
            Map.entry("label_sep", (b, f) -> b.labelSep(f.string())),
            Map.entry("return_words", (b, f) -> b.returnWords(f.bool())));

    static CompressRequest parse(JsonNode root) {
        if (!root.isObject()) {
            throw invalidType(null, "The request body must be a JSON object.");
        }
        for (var name : (Iterable<String>) root::fieldNames) {
            if (!OPTIONS.containsKey(name) && !OTHER_FIELDS.contains(name)) {
                throw new GatewayException(OpenAiError.invalidRequest("unknown_parameter", name,
                        "Unrecognized request argument supplied: " + name + "."));
            }
        }
        JsonNode prompt = root.get("prompt");
        if (prompt == null || prompt.isNull()) {
            throw new GatewayException(OpenAiError.invalidRequest("missing_required_parameter", "prompt",
                    "Missing required parameter: 'prompt'."));
        }
        boolean listInput = prompt.isArray();
        List<String> contexts = listInput ? new Field("prompt", prompt).strings()
                : List.of(new Field("prompt", prompt).string());

        boolean protect = flag(root, "protect");
        boolean json = flag(root, "json");
        if (json) {
            for (String option : NOT_WITH_JSON) {
                if (root.hasNonNull(option)) {
                    throw new GatewayException(OpenAiError.invalidRequest("invalid_value", option, "'" + option
                            + "' cannot be combined with json: true (each string value is compressed on its own, at "
                            + "'rate')."));
                }
            }
        }
        CompressionOptions.Builder builder = CompressionOptions.builder()
                // As the reference's compress_prompt: a list of contexts may lose whole low-value contexts.
                .useContextLevelFilter(listInput && !json);
        CompressionOptions options;
        try {
            for (var entry : OPTIONS.entrySet()) {
                JsonNode value = root.get(entry.getKey());
                if (value != null && !value.isNull()) {
                    entry.getValue().accept(builder, new Field(entry.getKey(), value));
                }
            }
            options = builder.build();
        } catch (InvalidCompressionOptionException e) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_value", e.parameter(),
                    "Invalid value for '" + e.parameter() + "': " + e.getMessage()));
        }
        return new CompressRequest(contexts, listInput, options, optionalString(root, "model"),
                optionalString(root, "encoding"), protect, json);
    }

    private static boolean flag(JsonNode root, String name) {
        JsonNode value = root.get(name);
        return value != null && !value.isNull() && new Field(name, value).bool();
    }

    private static Optional<String> optionalString(JsonNode root, String name) {
        JsonNode value = root.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(new Field(name, value).string());
    }

    private static GatewayException invalidType(String param, String message) {
        return new GatewayException(OpenAiError.invalidRequest("invalid_type", param, message));
    }

    /** One request field with typed accessors that answer 400 naming the field when the type is wrong. */
    private record Field(String name, JsonNode value) {

        double number() {
            if (!value.isNumber()) {
                throw wrong("a number");
            }
            return value.doubleValue();
        }

        int integer() {
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw wrong("an integer");
            }
            return value.intValue();
        }

        boolean bool() {
            if (!value.isBoolean()) {
                throw wrong("a boolean");
            }
            return value.booleanValue();
        }

        String string() {
            if (!value.isTextual()) {
                throw wrong("a string");
            }
            return value.textValue();
        }

        List<String> strings() {
            if (!value.isArray()) {
                throw wrong("an array of strings");
            }
            List<String> out = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw wrong("an array of strings");
                }
                out.add(item.textValue());
            }
            return out;
        }

        List<Integer> integers() {
            if (!value.isArray()) {
                throw wrong("an array of integers");
            }
            List<Integer> out = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                    throw wrong("an array of integers");
                }
                out.add(item.intValue());
            }
            return out;
        }

        private GatewayException wrong(String expected) {
            return invalidType(name, "Invalid type for '" + name + "': expected " + expected + ", but got "
                    + JsonBodies.describe(value) + " instead.");
        }
    }
}
