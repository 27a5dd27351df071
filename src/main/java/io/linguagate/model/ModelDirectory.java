package io.linguagate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.TokenizerFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The files of one classifier checkpoint: {@code config.json}, {@code tokenizer.json} and the ONNX graph
 * ({@code model.onnx}, or {@code onnx/model.onnx} as common exports lay it out). Reading it checks that every file
 * is there and that {@code config.json} names a family we can run.
 *
 * @param root       the directory
 * @param config     {@code config.json}
 * @param tokenizer  {@code tokenizer.json}
 * @param onnx       the ONNX graph
 * @param family     from {@code config.json}'s {@code model_type}, never from the directory name
 * @param vocabSize  {@code config.json}'s {@code vocab_size} (rows of the embedding matrix), when given
 */
public record ModelDirectory(Path root, Path config, Path tokenizer, Path onnx, TokenizerFamily family,
        OptionalInt vocabSize) {

    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    static final String ONNX = "model.onnx";
    static final String ONNX_SUBDIR = "onnx";

    /** Reads and checks {@code root}; fails with a message naming the file at fault. */
    public static ModelDirectory read(Path root, ObjectMapper json) {
        return read(root, null, json);
    }

    /**
     * Reads and checks {@code root}, with the ONNX graph at {@code onnxOverride} when given (a checkpoint converted
     * into the cache) instead of inside {@code root}.
     */
    public static ModelDirectory read(Path root, Path onnxOverride, ObjectMapper json) {
        if (!Files.isDirectory(root)) {
            throw new ModelLoadException("Model directory " + root + " does not exist or is not a directory");
        }
        Path config = requireFile(root.resolve(CONFIG), "the model configuration (model_type, vocab_size)");
        Path tokenizer = requireFile(root.resolve(TOKENIZER), "the HuggingFace fast-tokenizer file");
        Path onnx = onnxOverride != null ? requireFile(onnxOverride, "the ONNX graph") : root.resolve(ONNX);
        if (!Files.isRegularFile(onnx)) {
            Path nested = root.resolve(ONNX_SUBDIR).resolve(ONNX);
            if (!Files.isRegularFile(nested)) {
                throw new ModelLoadException("Model directory " + root + " has no " + ONNX + " (looked for "
                        + onnx + " and " + nested + ")");
            }
            onnx = nested;
        }
        JsonNode parsed;
        try {
            parsed = json.readTree(Files.readAllBytes(config));
        } catch (IOException e) {
            throw new ModelLoadException(config + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (parsed == null || !parsed.isObject()) {
            throw new ModelLoadException(config + " must hold a JSON object");
        }
        TokenizerFamily family = family(config, parsed.path("model_type"));
        JsonNode vocab = parsed.path("vocab_size");
        OptionalInt vocabSize = vocab.canConvertToInt() && vocab.isIntegralNumber()
                ? OptionalInt.of(vocab.intValue()) : OptionalInt.empty();
        return new ModelDirectory(root, config, tokenizer, onnx, family, vocabSize);
    }

    /** "BERT (WordPiece)" or "XLM-RoBERTa (SentencePiece)", for logs. */
    public String familyName() {
        return family == TokenizerFamily.WORDPIECE ? "BERT, WordPiece" : "XLM-RoBERTa, SentencePiece";
    }

    private static TokenizerFamily family(Path config, JsonNode modelType) {
        if (!modelType.isTextual()) {
            throw new ModelLoadException(config + " has no \"model_type\"; expected \"bert\" or \"xlm-roberta\"");
        }
        return switch (modelType.textValue()) {
            case "bert" -> TokenizerFamily.WORDPIECE;
            case "xlm-roberta" -> TokenizerFamily.SENTENCEPIECE;
            default -> throw new ModelLoadException(config + ": model_type \"" + modelType.textValue()
                    + "\" is not supported; LLMLingua-2 checkpoints are \"bert\" or \"xlm-roberta\"");
        };
    }

    private static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Missing " + file + " (" + what + ")");
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException(file + " is not readable by the gateway's user");
        }
        return file;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
