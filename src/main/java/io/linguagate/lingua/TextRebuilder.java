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
 *   <li>otherwise nothing: punctuation stays attached ("Hello world." without "world" gives
 *       "Hello."), and text written without spaces (CJK) stays without spaces.</li>
 * </ol>
 * Text before the first and after the last kept word is not emitted.
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
                    }
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
