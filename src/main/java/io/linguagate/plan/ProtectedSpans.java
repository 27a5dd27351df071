package io.linguagate.plan;

import java.util.Arrays;

/**
 * Finds the spans of a compressible region that the compressor must not touch: code, JSON,
 * URLs, e-mail addresses and (optionally) numbers. A compressor drops and merges words, which
 * breaks exactly these things, while the upstream LLM needs them byte for byte.
 *
 * <p>One left-to-right pass; at each position the kinds are tried in a fixed order (fenced code,
 * inline code, JSON, URL, e-mail, number) and the first match is taken whole, so spans never
 * overlap and the result is deterministic. Every kind keeps its work linear: a failed try
 * remembers how far it looked, and JSON parses are memoised per bracket (see {@code Json}).
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>A fence block keeps its own lines: its span runs from the line break before the opening
 *       fence to the line break after the closing one, so a compressor joining words cannot glue
 *       a fence to prose. Unclosed, it runs to the end of the region.
 *   <li>JSON is protected only when a <code>[</code> or <code>{</code> starts text that parses as strict
 *       JSON; so a citation {@code [1]} is protected (harmless: it is short and meaningful) and a
 *       template word {@code {name}} is not.
 *   <li>A URL is ASCII: it ends at whitespace, a non-ASCII char, a quote, {@code <>} or a closing
 *       bracket it did not open, so CJK prose right after it stays compressible.
 *   <li>A number inside a word protects the whole word ({@code gpt-4o}, {@code H100},
 *       {@code 2024-05-01T10:00Z}, {@code v2.1}). Digit groups that follow a number after one
 *       space join its span, which keeps phone numbers ({@code +1 (555) 123-4567}) and date-times
 *       ({@code 2024-05-01 12:30}) whole.
 * </ul>
 */
final class ProtectedSpans {

    private static final int MAX_INLINE_TICKS = 16;

    private final String text;
    private final int from;
    private final int to;
    private final boolean numbers;
    private int[] spans = new int[8];
    private int size;
    /** End of the last span: what follows starts a word, whatever char precedes it. */
    private int lastEnd;
    /** A local part scanned up to here had no '@' (or no domain): don't rescan its tail. */
    private int emailScanEnd;
    /** A word scanned up to here had no digit: don't rescan its tail. */
    private int numberScanEnd;
    /** For a run of n backticks: no closing run of n exists before this index. */
    private final int[] noClosingTicksBefore = new int[MAX_INLINE_TICKS];
    private Json json;

    private ProtectedSpans(String text, int from, int to, boolean numbers) {
        this.text = text;
        this.from = from;
        this.to = to;
        this.numbers = numbers;
        this.lastEnd = from;
    }

    /** The protected spans of {@code text[from, to)} as start/end pairs, in order, disjoint, none empty. */
    static int[] find(String text, int from, int to, boolean protectNumbers) {
        ProtectedSpans finder = new ProtectedSpans(text, from, to, protectNumbers);
        finder.scan();
        return Arrays.copyOf(finder.spans, finder.size);
    }

    private void scan() {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            int start = i;
            int end = -1;
            if ((c == '`' || c == '~' || c == ' ') && isLineStart(i)) {
                end = fence(i);
                start = end < 0 ? i : withLineBreakBefore(i);
            }
            if (end < 0 && c == '`') {
                end = inlineCode(i);
            }
            if (end < 0 && (c == '{' || c == '[')) {
                end = jsonEnd(i);
            }
            if (end < 0) {
                end = url(i);
            }
            if (end < 0) {
                start = emailStart(i);
                end = start < 0 ? -1 : emailEnd(start);
                start = end < 0 ? i : start;
            }
            if (end < 0 && numbers) {
                end = number(i);
            }
            if (end > i) {
                add(start, end);
                i = end;
            } else {
                i++;
            }
        }
    }

    private void add(int start, int end) {
        if (size + 2 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[size++] = start;
        spans[size++] = end;
        lastEnd = end;
    }

    // ---- fenced and inline code -------------------------------------------------------------

    /** End of a fence block whose opening line starts at {@code i}, or -1. */
    private int fence(int i) {
        int p = skipIndent(i);
        char f = p < to ? text.charAt(p) : '\0';
        int n = run(p, f);
        if ((f != '`' && f != '~') || n < 3) {
            return -1;
        }
        int lineEnd = lineEnd(p + n);
        for (int k = p + n; f == '`' && k < lineEnd; k++) {
            if (text.charAt(k) == '`') {
                return -1; // "```a```" on one line is inline code, as in CommonMark
            }
        }
        int q = afterLineBreak(lineEnd);
        while (q < to) {
            int end = lineEnd(q);
            int r = skipIndent(q);
            int m = run(r, f);
            if (m >= n && isBlank(r + m, end)) {
                return afterLineBreak(end);
            }
            q = afterLineBreak(end);
        }
        return to;
    }

    /** Line-start index widened by the line break before it, unless that break already is in a span. */
    private int withLineBreakBefore(int i) {
        int start = i;
        if (start > lastEnd && text.charAt(start - 1) == '\n') {
            start--;
        }
        if (start > lastEnd && text.charAt(start - 1) == '\r') {
            start--;
        }
        return start;
    }

    /** End of inline code opened by the backtick run at {@code i}, closed by an equal run on the same line, or -1. */
    private int inlineCode(int i) {
        if (i > lastEnd && text.charAt(i - 1) == '`') {
            return -1; // inside a run that did not open code
        }
        int n = run(i, '`');
        if (n >= MAX_INLINE_TICKS || i < noClosingTicksBefore[n]) {
            return -1;
        }
        int q = i + n;
        while (q < to && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
            int m = run(q, '`');
            if (m == n) {
                return q + m;
            }
            q += Math.max(m, 1);
        }
        noClosingTicksBefore[n] = q;
        return -1;
    }

    // ---- JSON ----------------------------------------------------------------------------------

    private int jsonEnd(int i) {
        if (json == null) {
            json = new Json(text, from, to);
        }
        return json.containerEnd(i);
    }

    // ---- URL and e-mail ------------------------------------------------------------------------

    /** End of a URL starting at {@code i}, trailing sentence punctuation excluded, or -1. */
    private int url(int i) {
        char c = (char) (text.charAt(i) | 0x20);
        if ((c != 'h' && c != 'f' && c != 'w') || (i > lastEnd && isAsciiLetterOrDigit(text.charAt(i - 1)))) {
            return -1;
        }
        int body = prefixEnd(i, "https://");
        body = body < 0 ? prefixEnd(i, "http://") : body;
        body = body < 0 ? prefixEnd(i, "ftp://") : body;
        boolean www = body < 0;
        body = www ? prefixEnd(i, "www.") : body;
        if (body < 0) {
            return -1;
        }
        int q = body;
        int depth = 0;
        while (q < to) {
            char d = text.charAt(q);
            if (d <= ' ' || d >= 0x7f || d == '"' || d == '\'' || d == '<' || d == '>' || d == '`') {
                break;
            }
            if (d == '(' || d == '[' || d == '{') {
                depth++;
            } else if (d == ')' || d == ']' || d == '}') {
                if (depth == 0) {
                    break;
                }
                depth--;
            }
            q++;
        }
        while (q > body && ".,;:!?".indexOf(text.charAt(q - 1)) >= 0) {
            q--;
        }
        boolean hasHost = q > body && (!www || isAsciiLetterOrDigit(text.charAt(body)));
        return hasHost ? q : -1;
    }

    private int prefixEnd(int i, String prefix) {
        return text.regionMatches(true, i, prefix, 0, prefix.length()) && i + prefix.length() <= to
                ? i + prefix.length() : -1;
    }

    /** Start of an e-mail address whose local part begins at word start {@code i} (leading dots skipped), or -1. */
    private int emailStart(int i) {
        if (i < emailScanEnd || !isLocalChar(text.charAt(i)) || (i > lastEnd && isLocalChar(text.charAt(i - 1)))) {
            return -1;
        }
        int q = i;
        while (q < to && isLocalChar(text.charAt(q))) {
            q++;
        }
        emailScanEnd = q;
        int start = i;
        while (start < q && text.charAt(start) == '.') {
            start++;
        }
        return start < q && q < to && text.charAt(q) == '@' ? start : -1;
    }

    /** End of the domain after the local part at {@code start}: dot-separated labels, a letters-only TLD of 2+, or -1. */
    private int emailEnd(int start) {
        int q = text.indexOf('@', start) + 1;
        int labels = 0;
        int lastLabel = q;
        while (true) {
            int label = q;
            while (q < to && isDomainChar(text.charAt(q))) {
                q++;
            }
            if (q == label) {
                return -1;
            }
            labels++;
            lastLabel = label;
            if (q + 1 < to && text.charAt(q) == '.' && isDomainChar(text.charAt(q + 1))) {
                q++;
            } else {
                break;
            }
        }
        if (labels < 2 || q - lastLabel < 2) {
            return -1;
        }
        for (int k = lastLabel; k < q; k++) {
            if (!isAsciiLetter(text.charAt(k))) {
                return -1;
            }
        }
        return q;
    }

    // ---- numbers -------------------------------------------------------------------------------

    /** End of a number word starting at {@code i} (plus any space-separated digit groups), or -1. */
    private int number(int i) {
        char c = text.charAt(i);
        boolean sign = (c == '+' || c == '-' || c == '.') && i + 1 < to && isAsciiDigit(text.charAt(i + 1));
        if ((c != '(' && !sign && !isWordChar(text.codePointAt(i)))
                || i < numberScanEnd || (i > lastEnd && isWordChar(text.codePointBefore(i)))) {
            return -1;
        }
        if (c == '(') {
            int end = parenthesisedDigits(i);
            return end < 0 ? -1 : joinDigitGroups(end);
        }
        int p = sign ? i + 1 : i;
        int end = wordEnd(p);
        if (!hasDigit(p, end)) {
            numberScanEnd = end;
            return -1;
        }
        if (end < to && text.charAt(end) == '%' && isAsciiDigit(text.charAt(end - 1))) {
            end++;
        }
        return joinDigitGroups(end);
    }

    /** Word chars joined by connectors: {@code . - / _ +} between word chars, {@code , :} between digits. */
    private int wordEnd(int p) {
        int q = p;
        while (true) {
            while (q < to && isWordChar(text.codePointAt(q))) {
                q += Character.charCount(text.codePointAt(q));
            }
            if (q == p || q + 1 >= to) {
                return q;
            }
            char c = text.charAt(q);
            boolean joins = ".-/_+".indexOf(c) >= 0
                    ? isWordChar(text.codePointAt(q + 1))
                    : (c == ',' || c == ':') && isAsciiDigit(text.charAt(q - 1)) && isAsciiDigit(text.charAt(q + 1));
            if (!joins) {
                return q;
            }
            q++;
        }
    }

    /** Extends {@code end} over following " 123", " 123-4567" or " (555)" groups, the way phone numbers are written. */
    private int joinDigitGroups(int end) {
        while (end + 1 < to && text.charAt(end) == ' ') {
            int p = end + 1;
            int next = text.charAt(p) == '(' ? parenthesisedDigits(p) : digitGroupEnd(p);
            if (next < 0 || (next < to && (text.charAt(next) == '@' || text.charAt(next) == '%'))) {
                return end;
            }
            end = next;
        }
        return end;
    }

    /** End of a whole word at {@code p} made of ASCII digits and inner {@code - . : / , +} (no letters), or -1. */
    private int digitGroupEnd(int p) {
        if (!isAsciiDigit(text.charAt(p))) {
            return -1;
        }
        int end = wordEnd(p);
        for (int k = p; k < end; k++) {
            char c = text.charAt(k);
            if (!isAsciiDigit(c) && "-.:/,+".indexOf(c) < 0) {
                return -1;
            }
        }
        return end;
    }

    /** End of "(" 1-6 ASCII digits ")" at {@code p}, or -1. */
    private int parenthesisedDigits(int p) {
        int q = p + 1;
        while (q < to && q - p <= 6 && isAsciiDigit(text.charAt(q))) {
            q++;
        }
        return q > p + 1 && q < to && text.charAt(q) == ')' ? q + 1 : -1;
    }

    private boolean hasDigit(int p, int end) {
        for (int k = p; k < end; k++) {
            if (Character.isDigit(text.charAt(k))) {
                return true;
            }
        }
        return false;
    }

    // ---- lines and chars -----------------------------------------------------------------------

    private boolean isLineStart(int i) {
        if (i == from) {
            return true; // a region starts right after a tag or at the text's start
        }
        char prev = text.charAt(i - 1);
        return prev == '\n' || (prev == '\r' && text.charAt(i) != '\n');
    }

    private int skipIndent(int p) {
        int q = p;
        while (q < to && q - p < 3 && text.charAt(q) == ' ') {
            q++;
        }
        return q;
    }

    private int run(int p, char c) {
        int q = p;
        while (q < to && text.charAt(q) == c) {
            q++;
        }
        return q - p;
    }

    private int lineEnd(int p) {
        int q = p;
        while (q < to && text.charAt(q) != '\n' && text.charAt(q) != '\r') {
            q++;
        }
        return q;
    }

    private int afterLineBreak(int lineEnd) {
        if (lineEnd >= to) {
            return to;
        }
        boolean crlf = text.charAt(lineEnd) == '\r' && lineEnd + 1 < to && text.charAt(lineEnd + 1) == '\n';
        return lineEnd + (crlf ? 2 : 1);
    }

    private boolean isBlank(int p, int end) {
        for (int k = p; k < end; k++) {
            if (text.charAt(k) != ' ' && text.charAt(k) != '\t') {
                return false;
            }
        }
        return true;
    }

    /** A letter or digit of a script that separates words by spaces; CJK, Thai etc. are each a word boundary. */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return isAsciiLetterOrDigit((char) cp);
        }
        if (!Character.isLetterOrDigit(cp) || Character.isIdeographic(cp)) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script != Character.UnicodeScript.HIRAGANA && script != Character.UnicodeScript.KATAKANA
                && script != Character.UnicodeScript.THAI && script != Character.UnicodeScript.LAO
                && script != Character.UnicodeScript.KHMER && script != Character.UnicodeScript.MYANMAR;
    }

    private static boolean isLocalChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isDomainChar(char c) {
        return isAsciiLetterOrDigit(c) || c == '-';
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || isAsciiDigit(c);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Strict JSON (RFC 8259) recogniser for arrays and objects, iterative (no stack overflow on deep
     * nesting) and memoised by bracket position. JSON being LL(1), the value that starts at a bracket
     * parses the same whatever encloses it, so a result computed once, even while parsing a larger
     * candidate that failed, holds for every later try: each bracket is parsed at most once.
     */
    private static final class Json {

        private static final int FAIL = -1;
        private static final byte ARRAY_FIRST = 0;   // after '[': value or ']'
        private static final byte ARRAY_NEXT = 1;    // after ',': value
        private static final byte ARRAY_AFTER = 2;   // after a value: ',' or ']'
        private static final byte OBJECT_FIRST = 3;  // after '{': key or '}'
        private static final byte OBJECT_NEXT = 4;   // after ',': key
        private static final byte OBJECT_COLON = 5;  // after a key: ':'
        private static final byte OBJECT_VALUE = 6;  // after ':': value
        private static final byte OBJECT_AFTER = 7;  // after a value: ',' or '}'

        private final String text;
        private final int from;
        private final int to;
        /** By position - from: 0 not parsed yet, FAIL, or the end of the container starting there. */
        private final int[] memo;
        private int[] starts = new int[16];
        private byte[] states = new byte[16];
        private int depth;

        Json(String text, int from, int to) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.memo = new int[to - from];
        }

        /** End of the JSON array or object starting at {@code start}, or -1. */
        int containerEnd(int start) {
            int known = memo[start - from];
            if (known != 0) {
                return known;
            }
            push(start);
            int p = start + 1;
            while (true) {
                p = skipSpace(p);
                if (p >= to) {
                    return fail();
                }
                char c = text.charAt(p);
                byte state = states[depth - 1];
                if ((c == ']' && (state == ARRAY_FIRST || state == ARRAY_AFTER))
                        || (c == '}' && (state == OBJECT_FIRST || state == OBJECT_AFTER))) {
                    memo[starts[--depth] - from] = p + 1;
                    if (depth == 0) {
                        return p + 1;
                    }
                    p++;
                } else if (c == ',' && (state == ARRAY_AFTER || state == OBJECT_AFTER)) {
                    states[depth - 1] = state == ARRAY_AFTER ? ARRAY_NEXT : OBJECT_NEXT;
                    p++;
                } else if (c == ':' && state == OBJECT_COLON) {
                    states[depth - 1] = OBJECT_VALUE;
                    p++;
                } else if (c == '"' && (state == OBJECT_FIRST || state == OBJECT_NEXT)) {
                    states[depth - 1] = OBJECT_COLON;
                    p = stringEnd(p);
                } else if (state == ARRAY_FIRST || state == ARRAY_NEXT || state == OBJECT_VALUE) {
                    states[depth - 1] = state == OBJECT_VALUE ? OBJECT_AFTER : ARRAY_AFTER;
                    p = value(p, c);
                } else {
                    return fail();
                }
                if (p < 0) {
                    return fail();
                }
            }
        }

        /** Past a value at {@code p}: a known container is skipped, a new one pushed (returns just past its bracket). */
        private int value(int p, char c) {
            if (c == '[' || c == '{') {
                int known = memo[p - from];
                if (known != 0) {
                    return known;
                }
                push(p);
                return p + 1;
            }
            return switch (c) {
                case '"' -> stringEnd(p);
                case 't' -> literalEnd(p, "true");
                case 'f' -> literalEnd(p, "false");
                case 'n' -> literalEnd(p, "null");
                default -> numberEnd(p);
            };
        }

        private void push(int start) {
            if (depth == starts.length) {
                starts = Arrays.copyOf(starts, depth * 2);
                states = Arrays.copyOf(states, depth * 2);
            }
            starts[depth] = start;
            states[depth++] = text.charAt(start) == '[' ? ARRAY_FIRST : OBJECT_FIRST;
        }

        /** Every open container fails with its child: record that for all of them. */
        private int fail() {
            while (depth > 0) {
                memo[starts[--depth] - from] = FAIL;
            }
            return FAIL;
        }

        private int stringEnd(int p) {
            int q = p + 1;
            while (q < to) {
                char c = text.charAt(q);
                if (c == '"') {
                    return q + 1;
                }
                if (c < 0x20) {
                    return FAIL;
                }
                if (c == '\\') {
                    char e = q + 1 < to ? text.charAt(q + 1) : '\0';
                    if ("\"\\/bfnrt".indexOf(e) >= 0) {
                        q += 2;
                    } else if (e == 'u' && isHex(q + 2) && isHex(q + 3) && isHex(q + 4) && isHex(q + 5)) {
                        q += 6;
                    } else {
                        return FAIL;
                    }
                } else {
                    q++;
                }
            }
            return FAIL;
        }

        /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
        private int numberEnd(int p) {
            int q = p < to && text.charAt(p) == '-' ? p + 1 : p;
            if (q >= to || !isAsciiDigit(text.charAt(q))) {
                return FAIL;
            }
            q = text.charAt(q) == '0' ? q + 1 : digitsEnd(q);
            if (q < to && text.charAt(q) == '.') {
                int d = digitsEnd(q + 1);
                if (d == q + 1) {
                    return FAIL;
                }
                q = d;
            }
            if (q < to && (text.charAt(q) == 'e' || text.charAt(q) == 'E')) {
                int e = q + 1 < to && (text.charAt(q + 1) == '+' || text.charAt(q + 1) == '-') ? q + 2 : q + 1;
                int d = digitsEnd(e);
                if (d == e) {
                    return FAIL;
                }
                q = d;
            }
            return q;
        }

        private int digitsEnd(int p) {
            int q = p;
            while (q < to && isAsciiDigit(text.charAt(q))) {
                q++;
            }
            return q;
        }

        private int literalEnd(int p, String literal) {
            return text.startsWith(literal, p) && p + literal.length() <= to ? p + literal.length() : FAIL;
        }

        private boolean isHex(int p) {
            return p < to && Character.digit(text.charAt(p), 16) >= 0 && text.charAt(p) < 0x80;
        }

        private int skipSpace(int p) {
            int q = p;
            while (q < to) {
                char c = text.charAt(q);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                q++;
            }
            return q;
        }
    }
}
