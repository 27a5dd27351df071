package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One independent compression: its contexts and its options. Several jobs (e.g. the segments of
 * one chat request, each at its own rate) share one batched model pass in
 * {@link Llmlingua2Compressor#compressAll}.
 *
 * @param contexts the texts; compressed contexts are joined with {@code "\n\n"}
 * @param options  options of this job only
 * @param guides   forced spans and rate regions per context (empty: none)
 */
public record CompressionJob(List<String> contexts, CompressionOptions options, List<TextGuide> guides) {

    public CompressionJob(List<String> contexts, CompressionOptions options) {
        this(contexts, options, List.of());
    }

    public CompressionJob {
        Objects.requireNonNull(options, "options");
        guides = List.copyOf(guides);
        if (contexts == null) {
            throw new InvalidCompressionOptionException("context", "must not be null");
        }
        List<String> copy = new ArrayList<>(contexts.size());
        for (int i = 0; i < contexts.size(); i++) {
            String c = contexts.get(i);
            if (c == null) {
                throw new InvalidCompressionOptionException("context", "context[" + i + "] is null");
            }
            copy.add(c);
        }
        contexts = List.copyOf(copy);
        if (!guides.isEmpty() && guides.size() != contexts.size()) {
            throw new IllegalArgumentException("one guide per context, got " + guides.size() + " for "
                    + contexts.size());
        }
        for (int i = 0; i < guides.size(); i++) {
            if (guides.get(i).maxOffset() > contexts.get(i).length()) {
                throw new IllegalArgumentException("guide " + i + " reaches beyond its context");
            }
        }
    }

    /** The guide of context {@code i}. */
    public TextGuide guide(int i) {
        return guides.isEmpty() ? TextGuide.NONE : guides.get(i);
    }

    /** A job over a single text. */
    public static CompressionJob of(String text, CompressionOptions options) {
        if (text == null) {
            throw new InvalidCompressionOptionException("context", "must not be null");
        }
        return new CompressionJob(List.of(text), options);
    }

    /** A job over a single text with forced spans and rate regions. */
    public static CompressionJob guided(String text, CompressionOptions options, TextGuide guide) {
        if (text == null) {
            throw new InvalidCompressionOptionException("context", "must not be null");
        }
        return new CompressionJob(List.of(text), options, List.of(guide));
    }
}
