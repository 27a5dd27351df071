package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A context with its mapped force strings replaced by placeholders (step 3), plus the map from
 * offsets in the substituted text back to the original, so rebuilt text is copied from the source.
 *
 * <p>Replacement is the reference's sequential {@code str.replace}, one force string after the
 * other in list order, left to right, non-overlapping. One deliberate difference: an inserted
 * placeholder is atomic, a later force string never matches inside or across it.
 */
final class PlaceholderText {

    private final String text;
    private final int[] subStarts;   // placeholder occurrence i: [subStarts[i], subEnds[i]) in text
    private final int[] subEnds;
    private final int[] origStarts;  // ... stands for [origStarts[i], origEnds[i]) in the original
    private final int[] origEnds;

    private PlaceholderText(String text, int[] subStarts, int[] subEnds, int[] origStarts, int[] origEnds) {
        this.text = text;
        this.subStarts = subStarts;
        this.subEnds = subEnds;
        this.origStarts = origStarts;
        this.origEnds = origEnds;
    }

    /** The text to tokenize. */
    String text() {
        return text;
    }

    /** Number of placeholders inserted. */
    int placeholderCount() {
        return subStarts.length;
    }

    /** Segment of the original: a literal run, or a placeholder standing for {@code [origStart, origEnd)}. */
    private record Segment(int origStart, int origEnd, String placeholder) {
    }

    static PlaceholderText substitute(String original, Map<String, String> placeholderByForce) {
        List<Segment> segments = new ArrayList<>();
        segments.add(new Segment(0, original.length(), null));
        for (Map.Entry<String, String> e : placeholderByForce.entrySet()) {
            String force = e.getKey();
            List<Segment> next = new ArrayList<>(segments.size() + 4);
            int hit = -1;          // next occurrence at or after the scan position; segments ascend,
            boolean none = false;  // so the whole pass scans the original once per force string
            for (Segment s : segments) {
                if (s.placeholder() != null) {
                    next.add(s);
                    continue;
                }
                int from = s.origStart();
                while (!none) {
                    if (hit < from) {
                        hit = original.indexOf(force, from);
                        if (hit < 0) {
                            none = true;
                            break;
                        }
                    }
                    if (hit + force.length() > s.origEnd()) {
                        break;
                    }
                    if (hit > from) {
                        next.add(new Segment(from, hit, null));
                    }
                    next.add(new Segment(hit, hit + force.length(), e.getValue()));
                    from = hit + force.length();
                }
                if (from < s.origEnd()) {
                    next.add(new Segment(from, s.origEnd(), null));
                }
            }
            segments = next;
        }
        StringBuilder sb = new StringBuilder(original.length() + 16);
        int count = 0;
        for (Segment s : segments) {
            if (s.placeholder() != null) {
                count++;
            }
        }
        int[] subStarts = new int[count];
        int[] subEnds = new int[count];
        int[] origStarts = new int[count];
        int[] origEnds = new int[count];
        int k = 0;
        for (Segment s : segments) {
            if (s.placeholder() == null) {
                sb.append(original, s.origStart(), s.origEnd());
            } else {
                subStarts[k] = sb.length();
                sb.append(s.placeholder());
                subEnds[k] = sb.length();
                origStarts[k] = s.origStart();
                origEnds[k] = s.origEnd();
                k++;
            }
        }
        return new PlaceholderText(sb.toString(), subStarts, subEnds, origStarts, origEnds);
    }

    /** Maps a token start offset in {@link #text()} to the original. */
    int originalStart(int offset) {
        return mapStart(offset, lastWithStartAtMost(offset));
    }

    /** Maps a token end offset (exclusive) in {@link #text()} to the original. */
    int originalEnd(int offset) {
        return mapEnd(offset, lastWithStartAtMost(offset - 1));
    }

    /** {@code i}: the last placeholder starting at or before {@code offset}. */
    private int mapStart(int offset, int i) {
        if (i < 0) {
            return offset;
        }
        return offset < subEnds[i] ? origStarts[i] : offset - subEnds[i] + origEnds[i];
    }

    /** {@code i}: the last placeholder starting before {@code offset}. */
    private int mapEnd(int offset, int i) {
        if (i < 0) {
            return offset;
        }
        return offset <= subEnds[i] ? origEnds[i] : offset - subEnds[i] + origEnds[i];
    }

    /** Moves a cursor forward to the last placeholder starting at or before {@code offset} (searches if it went back). */
    private int advance(int cursor, int offset) {
        if (cursor >= 0 && subStarts[cursor] > offset) {
            return lastWithStartAtMost(offset);
        }
        while (cursor + 1 < subStarts.length && subStarts[cursor + 1] <= offset) {
            cursor++;
        }
        return cursor;
    }

    /** Index of the last placeholder starting at or before {@code offset}, or -1. */
    private int lastWithStartAtMost(int offset) {
        int lo = 0;
        int hi = subStarts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (subStarts[mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Rewrites a tokenization of {@link #text()} to original offsets (returns it unchanged without placeholders). */
    TokenizedText toOriginalOffsets(TokenizedText tokens) {
        if (subStarts.length == 0) {
            return tokens;
        }
        int n = tokens.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        int startCursor = -1; // tokens come in text order: walk instead of searching
        int endCursor = -1;
        for (int i = 0; i < n; i++) {
            int s = tokens.starts()[i];
            int e = tokens.ends()[i];
            startCursor = advance(startCursor, s);
            endCursor = advance(endCursor, e - 1);
            starts[i] = mapStart(s, startCursor);
            ends[i] = Math.max(starts[i], mapEnd(e, endCursor));
        }
        return new TokenizedText(tokens.ids(), tokens.pieces(), starts, ends);
    }
}
