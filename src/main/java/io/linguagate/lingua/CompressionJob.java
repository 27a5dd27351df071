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
 */
public record CompressionJob(List<String> contexts, CompressionOptions options) {

    public CompressionJob {
        Objects.requireNonNull(options, "options");
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
    }

    /** A job over a single text. */
    public static CompressionJob of(String text, CompressionOptions options) {
        if (text == null) {
            throw new InvalidCompressionOptionException("context", "must not be null");
        }
        return new CompressionJob(List.of(text), options);
    }
}
