package io.linguagate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.testmodel.TinyClassifierOnnx;
import io.linguagate.testmodel.TinyModelConfigJson;
import io.linguagate.testmodel.TinyTokenizerJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a tiny model directory before the application starts and points {@code linguagate.model.path} at it.
 * Args: {@code family} ({@code bert} or {@code xlm-roberta}) and {@code keep}: {@code piece=probability} pairs,
 * comma-separated (e.g. {@code ship=0.9,##ing=0.8}); every other token's keep probability is {@code 0.1}. The
 * tokenizer is written without the {@code [NEWi]} placeholders, so the gateway's own addition is exercised.
 */
public class TinyModelResource implements QuarkusTestResourceLifecycleManager {

    public static final double DEFAULT_KEEP = 0.1;

    private String family = "bert";
    private String keep = "";
    private Path dir;

    @Override
    public void init(Map<String, String> args) {
        family = args.getOrDefault("family", family);
        keep = args.getOrDefault("keep", keep);
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("linguagate-tiny-model");
            boolean bert = family.equals("bert");
            String tokenizer = bert ? TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, false)
                    : TinyTokenizerJson.xlmRobertaUnigram(TinyTokenizerJson.defaultXlmrPieces(), false);
            int ids = TinyTokenizerJson.idCount(tokenizer) + TinyTokenizerJson.PLACEHOLDER_COUNT;
            TinyTokenizerJson.write(dir, tokenizer);
            TinyModelConfigJson.write(dir, bert ? TinyModelConfigJson.bert(ids) : TinyModelConfigJson.xlmRoberta(ids));
            double[] probabilities = new double[ids];
            Arrays.fill(probabilities, DEFAULT_KEEP);
            Map<String, Integer> vocab = vocabulary(tokenizer);
            for (String pair : keep.isEmpty() ? new String[0] : keep.split(",")) {
                int eq = pair.lastIndexOf('=');
                Integer id = vocab.get(pair.substring(0, eq));
                if (id == null) {
                    throw new IllegalArgumentException("no piece '" + pair.substring(0, eq) + "' in the tiny vocabulary");
                }
                probabilities[id] = Double.parseDouble(pair.substring(eq + 1));
            }
            TinyClassifierOnnx.builder(ids).tokenTypeIds(bert).keepProbabilities(probabilities).build().writeTo(dir);
            return Map.of("linguagate.model.path", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Integer> vocabulary(String tokenizer) throws IOException {
        JsonNode vocab = new ObjectMapper().readTree(tokenizer).path("model").path("vocab");
        Map<String, Integer> ids = new HashMap<>();
        if (vocab.isObject()) {
            vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
        } else {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).get(0).asText(), i);
            }
        }
        return ids;
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // temp files; the OS cleans up eventually
        }
    }
}
