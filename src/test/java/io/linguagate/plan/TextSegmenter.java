package io.linguagate.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A message's text as pieces: what its {@code <llmlingua>} tags and protected spans make of it — the tests'
 * readable view of what is protected (test code: the compressor plans a text as one guided model pass,
 * {@link PlannedText}, where the same tags become rate regions and the same protected spans forced spans).
 *
 * <ol>
 *   <li>LLMLingua structured-compression tags choose a piece's fate: {@code <llmlingua, rate=0.4>}
 *       gives it its own rate, {@code <llmlingua, compress=False>} or {@code rate=1} keeps it
 *       verbatim; untagged text gets the message's default rate. Tags are removed. Malformed,
 *       nested, unclosed or stray tags are an {@link InvalidSegmentException} (see
 *       {@code TagParser}: any {@code <llmlingua} followed by a non-word char is read as a tag).
 *   <li>Inside every compressible piece, the protected spans (see {@code ProtectedSpans}) are
 *       split out as protected pieces.
 *   <li>Neighbours with the same fate are merged; no piece is empty.
 * </ol>
 *
 * <p>Concatenating the segments' text always gives the input without its tags. Linear time:
 * the tags and each kind of protected span cost one pass at most. Stateless and thread-safe.
 */
public final class TextSegmenter {

    private TextSegmenter() {
    }

    /**
     * Splits {@code text} into segments.
     *
     * @param text the message text, possibly with {@code <llmlingua>} tags
     * @param protectNumbers also protect numbers with their sign, currency, unit or %, dates, times, versions,
     *     identifiers and references (see {@code ProtectedSpans}); a number inside a word protects the whole word
     *     ("gpt-4o", "H100")
     * @return the segments in text order; empty for empty text
     * @throws InvalidSegmentException if a tag is malformed, nested, unclosed or has no opening tag
     */
    public static List<Segment> split(String text, boolean protectNumbers) {
        Objects.requireNonNull(text, "text");
        Merger merger = new Merger(text);
        for (TagParser.Region region : TagParser.parse(text)) {
            if (!region.compress()) {
                merger.add(region.start(), region.end(), false, OptionalDouble.empty());
                continue;
            }
            int[] spans = ProtectedSpans.find(text, region.start(), region.end(), protectNumbers);
            int cursor = region.start();
            for (int k = 0; k < spans.length; k += 2) {
                merger.add(cursor, spans[k], true, region.rate());
                merger.add(spans[k], spans[k + 1], false, OptionalDouble.empty());
                cursor = spans[k + 1];
            }
            merger.add(cursor, region.end(), true, region.rate());
        }
        return merger.segments();
    }

    /** Collects pieces, gluing each to the previous one when their fate is the same. */
    private static final class Merger {

        private final String text;
        private final List<Segment> segments = new ArrayList<>();
        private final StringBuilder pending = new StringBuilder();
        private boolean pendingCompress;
        private OptionalDouble pendingRate = OptionalDouble.empty();

        Merger(String text) {
            this.text = text;
        }

        void add(int start, int end, boolean compress, OptionalDouble rate) {
            if (start >= end) {
                return;
            }
            if (!pending.isEmpty() && (compress != pendingCompress || !rate.equals(pendingRate))) {
                flush();
            }
            pending.append(text, start, end);
            pendingCompress = compress;
            pendingRate = rate;
        }

        List<Segment> segments() {
            flush();
            return List.copyOf(segments);
        }

        private void flush() {
            if (!pending.isEmpty()) {
                segments.add(new Segment(pending.toString(), pendingCompress, pendingRate));
                pending.setLength(0);
            }
        }
    }
}
