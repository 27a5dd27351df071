package io.linguagate.lingua;

/**
 * Rebuilds a compressed context from the original text and the kept words' spans (step 10).
 * Copying from the source, instead of detokenizing, keeps casing, accents, CJK, emoji and
 * newlines byte-identical, never invents spaces between CJK characters and never glues words
 * across chunk joins (reference bugs: "time.Development", issue #131).
 *
 * <p>What goes between two kept words:
 * <ol>
 *   <li>consecutive words (nothing dropped between) whose gap is whitespace: the gap exactly, so
 *       runs of kept words are verbatim source text;</li>
 *   <li>otherwise nothing if the previous kept word ends in whitespace (a kept "\n");</li>
 *   <li>otherwise the source whitespace run right before the word, if any ("a b c" without b gives
 *       "a c", "x\n\ny" without its middle keeps "\n\n");</li>
 *   <li>otherwise, for a word starting with a letter or digit, the last whitespace run of the
 *       dropped stretch ("big-world" dropped to "world" after "Hello " still gets its space);</li>
 *   <li>otherwise a single space when gluing would merge two words into one that the source never had: the
 *       output ends in a letter, digit or combining mark and the next kept piece starts with one, and neither is
 *       of a script written without spaces ({@code state-of-the-art} without its hyphens gives
 *       {@code state of the art}, not {@code stateoftheart}; {@code 3.75} without its dot {@code 3 75});</li>
 *   <li>otherwise nothing: punctuation stays attached ("Hello world." without "world" gives
 *       "Hello."), and text written without spaces (CJK) stays without spaces.</li>
 * </ol>
 * Text before the first and after the last kept word is not emitted. A forced span ({@link TextGuide}) is one
 * kept piece copied verbatim, with every word overlapping it.
 */
final class TextRebuilder {

    private TextRebuilder() {
    }

    /** Whitespace as the rebuild sees it (includes no-break and other Unicode spaces). */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * @param source the original context
     * @param count  number of words
     * @param starts word span starts in {@code source}, ascending
     * @param ends   word span ends
     * @param keep   keep flag per word
     */
    static String rebuild(String source, int count, int[] starts, int[] ends, boolean[] keep) {
        return rebuild(source, count, starts, ends, keep, TextGuide.NONE, new int[0]);
    }

    /**
     * Same, with the guide's forced spans as kept pieces.
     *
     * @param forcedOut receives the output offset of each forced span of {@code guide}
     */
    static String rebuild(String source, int count, int[] starts, int[] ends, boolean[] keep, TextGuide guide,
            int[] forcedOut) {
        if (guide.forcedCount() > 0) {
            Units units = Units.of(source, count, starts, ends, keep, guide);
            String out = rebuildUnits(source, units.count, units.starts, units.ends, units.keep, units.unitOut);
            for (int f = 0; f < guide.forcedCount(); f++) {
                int u = units.unitOfForced[f];
                forcedOut[f] = units.unitOut[u] + (guide.forcedStart(f) - units.starts[u]);
            }
            return out;
        }
        return rebuildUnits(source, count, starts, ends, keep, null);
    }

    private static String rebuildUnits(String source, int count, int[] starts, int[] ends, boolean[] keep,
            int[] unitOut) {
        StringBuilder out = new StringBuilder(Math.min(source.length(), 16 + count * 8));
        int lastKept = -1;
        int prevEnd = 0;
        int wsStart = -1;
        int wsEnd = -1;
        for (int k = 0; k < count; k++) {
            int s = Math.max(starts[k], k == 0 ? 0 : prevEnd);
            int e = Math.max(ends[k], s);
            if (k > 0 && s > prevEnd) {
                int j = s - 1;
                while (j >= prevEnd && !isSpace(source.charAt(j))) {
                    j--;
                }
                if (j >= prevEnd) {
                    int runEnd = j + 1;
                    while (j >= prevEnd && isSpace(source.charAt(j))) {
                        j--;
                    }
                    wsStart = j + 1;
                    wsEnd = runEnd;
                }
            }
            if (keep[k]) {
                if (lastKept >= 0 && !out.isEmpty()) {
                    if (lastKept == k - 1 && allSpace(source, prevEnd, s)) {
                        out.append(source, prevEnd, s);
                    } else if (!isSpace(out.charAt(out.length() - 1)) && wsStart >= 0
                            && (wsEnd == s || startsWithLetterOrDigit(source, s, e))) {
                        out.append(source, wsStart, wsEnd);
                    } else if (s < e && wouldMergeWords(out.codePointBefore(out.length()), source.codePointAt(s))) {
                        out.append(' ');
                    }
                }
                if (unitOut != null) {
                    unitOut[k] = out.length();
                }
                out.append(source, s, e);
                lastKept = k;
                wsStart = -1;
                wsEnd = -1;
            }
            prevEnd = e;
        }
        return out.toString();
    }

    /** Whether {@code a} directly followed by {@code b} would read as one word. */
    static boolean wouldMergeWords(int a, int b) {
        return isWordPart(a) && isWordPart(b) && !isUnspacedScript(a) && !isUnspacedScript(b);
    }

    /** A letter, digit or combining mark (a mark glued to a letter becomes part of it). */
    static boolean isWordPart(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Scripts written without spaces between words: each character is its own boundary. */
    static boolean isUnspacedScript(int cp) {
        if (cp < 0x0E00) {
            return false; // Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, ... are spaced
        }
        if (Character.isIdeographic(cp)) {
            return true;
        }
        return switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, BOPOMOFO, THAI, LAO, KHMER, MYANMAR, TIBETAN, YI, JAVANESE, BALINESE -> true;
            default -> false;
        };
    }

    /** The words with the guide's forced spans merged in: each forced span and the words it overlaps is one unit. */
    private static final class Units {
        int count;
        int[] starts;
        int[] ends;
        boolean[] keep;
        int[] unitOut;
        int[] unitOfForced;

        static Units of(String source, int count, int[] starts, int[] ends, boolean[] keep, TextGuide guide) {
            Units u = new Units();
            int f = guide.forcedCount();
            int cap = count + f;
            u.starts = new int[cap];
            u.ends = new int[cap];
            u.keep = new boolean[cap];
            u.unitOfForced = new int[f];
            int w = 0;
            int span = 0;
            int n = 0;
            while (w < count || span < f) {
                // A word that ends after the next span begins either overlaps it or comes after it: the span first.
                boolean spanNext = span < f && (w >= count || ends[w] > guide.forcedStart(span));
                if (!spanNext) {
                    u.starts[n] = starts[w];
                    u.ends[n] = ends[w];
                    u.keep[n] = keep[w];
                    n++;
                    w++;
                    continue;
                }
                // A forced unit: the span, widened by every word overlapping it and every span those words reach.
                int s = guide.forcedStart(span);
                int e = guide.forcedEnd(span);
                u.unitOfForced[span++] = n;
                boolean grew = true;
                while (grew) {
                    grew = false;
                    while (w < count && starts[w] < e) {
                        s = Math.min(s, starts[w]);
                        e = Math.max(e, ends[w]);
                        w++;
                        grew = true;
                    }
                    while (span < f && guide.forcedStart(span) < e) {
                        e = Math.max(e, guide.forcedEnd(span));
                        u.unitOfForced[span++] = n;
                        grew = true;
                    }
                }
                u.starts[n] = Math.min(s, source.length());
                u.ends[n] = Math.min(e, source.length());
                u.keep[n] = true;
                n++;
            }
            u.count = n;
            u.unitOut = new int[n];
            return u;
        }
    }

    private static boolean allSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithLetterOrDigit(String s, int from, int to) {
        return from < to && Character.isLetterOrDigit(s.codePointAt(from));
    }
}
