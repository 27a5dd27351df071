package io.linguagate.plan;

import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.lingua.TextGuide;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A JSON document compressed as JSON: each of its long, prose-like string values is compressed as a text of its
 * own (all in the caller's one batch), and the document is rewritten literal by literal, so keys, numbers, other
 * strings, key order and layout (compact or indented) stay byte-identical and the result is valid JSON.
 */
public final class JsonDocument {

    private final String text;
    private final int start;
    private final int end;
    private final List<JsonStrings.Value> values;

    private JsonDocument(String text, int start, int end, List<JsonStrings.Value> values) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.values = values;
    }

    /**
     * {@code text} as a JSON document (an object or array, surrounding whitespace allowed); empty when it is not one
     * or is nested deeper than {@value JsonStrings#MAX_DEPTH}.
     *
     * @param minStringTokens strings with fewer target-LLM tokens, or without a space, are kept
     */
    public static Optional<JsonDocument> of(String text, int minStringTokens, TargetTokenCounter counter) {
        return Optional.ofNullable(in(text, 0, text.length(), minStringTokens, counter));
    }

    /** The document {@code text[from, to)}, or {@code null}. */
    static JsonDocument in(String text, int from, int to, int minStringTokens, TargetTokenCounter counter) {
        List<JsonStrings.Value> values = JsonStrings.find(text, from, to,
                value -> worthCompressing(value, minStringTokens, counter));
        return values == null ? null : new JsonDocument(text, from, to, values);
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Whether any string value is to be compressed. */
    public boolean hasWork() {
        return !values.isEmpty();
    }

    /** Number of {@link #jobs}. */
    public int jobCount() {
        return values.size();
    }

    /** One job per string value to compress, in document order, each with its guide from {@code guides}. */
    public List<CompressionJob> jobs(CompressionOptions options, Function<String, TextGuide> guides) {
        List<CompressionJob> jobs = new ArrayList<>(values.size());
        for (JsonStrings.Value value : values) {
            jobs.add(CompressionJob.guided(value.text(), options, guides.apply(value.text())));
        }
        return jobs;
    }

    /** The document with each compressed value in place of its literal ({@code results}: one per job, in order). */
    public String rewrite(List<CompressionResult> results) {
        StringBuilder doc = new StringBuilder(end - start);
        int cursor = start;
        for (int i = 0; i < values.size(); i++) {
            JsonStrings.Value value = values.get(i);
            String compressed = ChatCompressor.keepEdges(value.text(), results.get(i).compressedPrompt());
            doc.append(text, cursor, value.start());
            if (compressed.equals(value.text())) {
                doc.append(text, value.start(), value.end()); // unchanged: the client's own escapes
            } else {
                doc.append(JsonStringLiteral.quote(compressed));
            }
            cursor = value.end();
        }
        return doc.append(text, cursor, end).toString();
    }

    /**
     * Compresses each of {@code docs} as JSON with one batched model pass ({@code /v1/compress} with
     * {@code json: true}).
     *
     * @throws InvalidJsonPromptException when a doc is not a JSON object or array
     */
    public static CompressionResult compressAll(List<String> docs, CompressionOptions options,
            Function<String, TextGuide> guides, int minStringTokens, Llmlingua2Compressor compressor,
            TargetTokenCounter counter) {
        List<JsonDocument> documents = new ArrayList<>(docs.size());
        List<CompressionJob> jobs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            JsonDocument doc = in(docs.get(i), 0, docs.get(i).length(), minStringTokens, counter);
            if (doc == null) {
                throw new InvalidJsonPromptException(docs.size() == 1 ? "prompt" : "prompt[" + i + "]");
            }
            documents.add(doc);
            jobs.addAll(doc.jobs(options, guides));
        }
        List<CompressionResult> results = compressor.compressAll(jobs);
        List<String> out = new ArrayList<>(docs.size());
        int origin = 0;
        int compressed = 0;
        int next = 0;
        for (int i = 0; i < documents.size(); i++) {
            JsonDocument doc = documents.get(i);
            String rewritten = doc.rewrite(results.subList(next, next + doc.jobCount()));
            next += doc.jobCount();
            out.add(rewritten);
            origin += counter.count(docs.get(i));
            compressed += rewritten.equals(docs.get(i)) ? counter.count(docs.get(i)) : counter.count(rewritten);
        }
        return new CompressionResult(String.join("\n\n", out), out, origin, compressed, List.of(), Optional.empty(),
                List.of());
    }

    /**
     * Prose-like and long enough: identifiers, URLs, e-mails, dates, hashes and file paths have no spaces; a string
     * that is itself a JSON document is data.
     */
    private static boolean worthCompressing(String value, int minStringTokens, TargetTokenCounter counter) {
        if (value.length() < minStringTokens || value.chars().noneMatch(Character::isWhitespace)) {
            return false;
        }
        String trimmed = value.strip();
        if ((trimmed.startsWith("{") || trimmed.startsWith("["))
                && JsonStrings.find(value, 0, value.length(), v -> false) != null) {
            return false;
        }
        return counter.count(value) >= minStringTokens;
    }
}
