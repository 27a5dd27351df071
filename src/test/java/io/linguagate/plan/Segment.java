package io.linguagate.plan;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A piece of a message's text, as cut by {@link TextSegmenter}. Concatenating all segments' text
 * gives the input text with the {@code <llmlingua>} tags removed, so the pipeline can compress
 * the pieces independently and glue them back without losing anything it must not touch.
 *
 * @param text the piece, never {@code null}
 * @param compress {@code false}: protected, to be copied verbatim; {@code true}: to be compressed
 * @param rate for a compressible piece, its own rate from its tag; empty means the message's
 *     default rate. Always empty for a protected piece.
 */
public record Segment(String text, boolean compress, OptionalDouble rate) {

    /** Rejects a rate on a protected piece: it would be a second, contradictory source of truth. */
    public Segment {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(rate, "rate");
        if (!compress && rate.isPresent()) {
            throw new IllegalArgumentException("a protected segment has no rate");
        }
    }
}
