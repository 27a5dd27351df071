package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Test access to {@link TextSegmenter} that checks the output contract on every call, so each
 * test input also tests the invariants: the concatenation is the input minus its tags (computed
 * here independently, by regex), no segment is empty or splits a surrogate pair, neighbours differ
 * in fate, a protected segment has no rate, a rate is in (0, 1), and a second call gives the same
 * result.
 *
 * <p>{@link #render} writes protected text as {@code «…»}, a rate segment as {@code ‹0.4|…›} and
 * default-rate text as is, so one string shows a whole segmentation.
 */
final class SegmenterChecks {

    private static final Pattern TAG = Pattern.compile("(?i)<llmlingua(?![\\w-])[^>]*>|</llmlingua(?![\\w-])\\s*>");

    private SegmenterChecks() {
    }

    static List<Segment> split(String text, boolean protectNumbers) {
        List<Segment> segments = TextSegmenter.split(text, protectNumbers);
        StringBuilder all = new StringBuilder();
        Segment previous = null;
        for (Segment s : segments) {
            assertFalse(s.text().isEmpty(), "empty segment");
            assertFalse(Character.isLowSurrogate(s.text().charAt(0))
                    || Character.isHighSurrogate(s.text().charAt(s.text().length() - 1)), "split surrogate pair");
            if (!s.compress()) {
                assertTrue(s.rate().isEmpty(), "protected segment with a rate");
            } else if (s.rate().isPresent()) {
                assertTrue(s.rate().getAsDouble() > 0 && s.rate().getAsDouble() < 1, "rate out of (0, 1)");
            }
            if (previous != null) {
                assertFalse(previous.compress() == s.compress() && previous.rate().equals(s.rate()),
                        "unmerged neighbours " + previous + " " + s);
            }
            all.append(s.text());
            previous = s;
        }
        assertEquals(TAG.matcher(text).replaceAll(""), all.toString(), "concatenation invariant");
        assertEquals(segments, TextSegmenter.split(text, protectNumbers), "deterministic");
        return segments;
    }

    /** The segmentation of {@code text} without number protection, rendered. */
    static String show(String text) {
        return render(split(text, false));
    }

    /** The segmentation of {@code text} with number protection, rendered. */
    static String showNumbers(String text) {
        return render(split(text, true));
    }

    static String render(List<Segment> segments) {
        StringBuilder out = new StringBuilder();
        for (Segment s : segments) {
            if (!s.compress()) {
                out.append('«').append(s.text()).append('»');
            } else if (s.rate().isPresent()) {
                out.append('‹').append(s.rate().getAsDouble()).append('|').append(s.text()).append('›');
            } else {
                out.append(s.text());
            }
        }
        return out.toString();
    }

    /** The message of the {@link InvalidSegmentException} that {@code text} must raise. */
    static String error(String text) {
        return assertThrows(InvalidSegmentException.class, () -> TextSegmenter.split(text, false)).getMessage();
    }
}
