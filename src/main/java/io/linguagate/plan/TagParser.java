package io.linguagate.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Cuts a text along its LLMLingua structured-compression tags ({@code <llmlingua, rate=0.4>…
 * </llmlingua>}). Strict on purpose: anything that starts like a tag but is not a well-formed,
 * unnested, closed tag is an error, because silently compressing a half-typed tag would drop
 * the user's intent and leak tag syntax into the upstream prompt.
 *
 * <p>Tag and attribute names match case-insensitively, like the {@code True}/{@code False}
 * values. {@code <llmlingua} followed by a letter, digit, {@code _} or {@code -} (e.g.
 * {@code <llmlingua-2>}) is another word, not a tag. Tags are recognised everywhere, also inside
 * code, as in LLMLingua; there is no escape for a literal {@code <llmlingua}.
 */
final class TagParser {

    /** A run of the text, tags excluded, with the attributes of the tag around it (none: compress, default rate). */
    record Region(int start, int end, boolean compress, OptionalDouble rate) {
    }

    /** An opening tag's meaning and where its content starts. */
    private record OpenTag(int contentFrom, boolean compress, OptionalDouble rate) {
    }

    private static final String OPEN = "<llmlingua";
    private static final String CLOSE = "</llmlingua";
    private static final int QUOTE_LIMIT = 60;
    private static final String VALID_TAGS = "valid tags are <llmlingua>, <llmlingua, rate=0.4>, "
            + "<llmlingua, compress=False> and <llmlingua, compress=True, rate=0.4>, attributes in any order, "
            + "each closed by </llmlingua>";
    private static final String VALID_RATE =
            "rate must be a number greater than 0 and at most 1, e.g. rate=0.4 (rate=1 keeps the text verbatim)";

    private final String text;
    private final List<Region> regions = new ArrayList<>();

    private TagParser(String text) {
        this.text = text;
    }

    /**
     * The text without its tags (the regions' text, concatenated).
     *
     * @throws InvalidSegmentException on a malformed tag
     */
    static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (Region region : parse(text)) {
            out.append(text, region.start(), region.end());
        }
        return out.toString();
    }

    /** The text's regions in order; empty ones are left out. */
    static List<Region> parse(String text) {
        TagParser parser = new TagParser(text);
        parser.run();
        return parser.regions;
    }

    private void run() {
        int untaggedFrom = 0;
        int i = text.indexOf('<');
        while (i >= 0) {
            if (isClose(i)) {
                throw error("Closing tag " + quote(i) + " at offset " + i + " has no opening tag; "
                        + "tagged text looks like <llmlingua, rate=0.4>text</llmlingua>");
            }
            if (!isOpen(i)) {
                i = text.indexOf('<', i + 1);
                continue;
            }
            add(untaggedFrom, i, true, OptionalDouble.empty());
            OpenTag tag = parseOpenTag(i);
            int closeAt = findClose(i, tag.contentFrom());
            add(tag.contentFrom(), closeAt, tag.compress(), tag.rate());
            untaggedFrom = closeTagEnd(closeAt);
            i = text.indexOf('<', untaggedFrom);
        }
        add(untaggedFrom, text.length(), true, OptionalDouble.empty());
    }

    /** Where the closing tag of the tag at {@code openAt} starts; rejects a nested or missing one. */
    private int findClose(int openAt, int contentFrom) {
        int j = text.indexOf('<', contentFrom);
        while (j >= 0) {
            if (isClose(j)) {
                return j;
            }
            if (isOpen(j)) {
                throw error("Nested tag " + quote(j) + " at offset " + j + " inside " + quote(openAt)
                        + " at offset " + openAt + ": tags cannot be nested; close the first one with "
                        + "</llmlingua> before opening the next");
            }
            j = text.indexOf('<', j + 1);
        }
        throw error("Unclosed tag " + quote(openAt) + " at offset " + openAt
                + ": end the tagged text with </llmlingua>");
    }

    private int closeTagEnd(int closeAt) {
        int p = skipSpace(closeAt + CLOSE.length());
        if (p < text.length() && text.charAt(p) == '>') {
            return p + 1;
        }
        throw error("Malformed closing tag " + quote(closeAt) + " at offset " + closeAt
                + ": write it as </llmlingua>");
    }

    /** Parses the opening tag at {@code at}; rate=1 and compress=False both mean verbatim, the latter winning. */
    private OpenTag parseOpenTag(int at) {
        OptionalDouble rate = OptionalDouble.empty();
        Boolean compress = null;
        int p = at + OPEN.length();
        while (true) {
            p = skipSpace(p);
            char c = p < text.length() ? text.charAt(p) : '\0';
            if (c == '>') {
                break;
            }
            if (c != ',') {
                throw malformed(at);
            }
            p = skipSpace(p + 1);
            int nameFrom = p;
            while (p < text.length() && isAttributeNameChar(text.charAt(p))) {
                p++;
            }
            String name = text.substring(nameFrom, p);
            p = skipSpace(p);
            if (name.isEmpty() || p >= text.length() || text.charAt(p) != '=') {
                throw malformed(at);
            }
            p = skipSpace(p + 1);
            int valueFrom = p;
            while (p < text.length() && !endsValue(text.charAt(p))) {
                p++;
            }
            String value = text.substring(valueFrom, p);
            if (value.isEmpty()) {
                throw malformed(at);
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "rate" -> {
                    requireOnce(rate.isPresent(), "rate", at);
                    rate = OptionalDouble.of(parseRate(value, at));
                }
                case "compress" -> {
                    requireOnce(compress != null, "compress", at);
                    compress = parseCompress(value, at);
                }
                default -> throw error(tagProblem(at) + "unknown attribute \"" + name
                        + "\"; the valid attributes are rate (a number in (0, 1]) and compress (True or False)");
            }
        }
        boolean compressed = !Boolean.FALSE.equals(compress) && (rate.isEmpty() || rate.getAsDouble() < 1.0);
        return new OpenTag(p + 1, compressed, compressed ? rate : OptionalDouble.empty());
    }

    private void add(int from, int to, boolean compress, OptionalDouble rate) {
        if (from < to) {
            regions.add(new Region(from, to, compress, rate));
        }
    }

    private double parseRate(String value, int at) {
        if (!isPlainDecimal(value)) {
            throw error(tagProblem(at) + VALID_RATE + ", got \"" + value + "\"");
        }
        double rate = Double.parseDouble(value);
        if (!(rate > 0.0 && rate <= 1.0)) {
            throw error(tagProblem(at) + VALID_RATE + ", got \"" + value + "\"");
        }
        return rate;
    }

    private boolean parseCompress(String value, int at) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw error(tagProblem(at) + "compress must be True or False, got \"" + value + "\"");
    }

    private void requireOnce(boolean seen, String name, int at) {
        if (seen) {
            throw error(tagProblem(at) + "attribute \"" + name + "\" is given twice; give each attribute at most once");
        }
    }

    private InvalidSegmentException malformed(int at) {
        return error("Malformed tag " + quote(at) + " at offset " + at + ": " + VALID_TAGS
                + " (a literal \"<llmlingua\" is always read as a tag)");
    }

    private String tagProblem(int at) {
        return "Invalid tag " + quote(at) + " at offset " + at + ": ";
    }

    private static InvalidSegmentException error(String message) {
        return new InvalidSegmentException(message);
    }

    /** The tag at {@code at} in double quotes, up to its {@code >}, cut at a line break or after a few dozen chars. */
    private String quote(int at) {
        int limit = Math.min(text.length(), at + QUOTE_LIMIT);
        int end = at;
        while (end < limit && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
            if (text.charAt(end - 1) == '>') {
                return "\"" + text.substring(at, end) + "\"";
            }
        }
        if (end > at && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return "\"" + text.substring(at, end) + (end < text.length() ? "…\"" : "\"");
    }

    private boolean isOpen(int at) {
        return matchesName(at, OPEN);
    }

    private boolean isClose(int at) {
        return matchesName(at, CLOSE);
    }

    private boolean matchesName(int at, String name) {
        int after = at + name.length();
        return text.regionMatches(true, at, name, 0, name.length())
                && (after >= text.length() || !continuesName(text.charAt(after)));
    }

    private int skipSpace(int p) {
        while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
            p++;
        }
        return p;
    }

    private static boolean continuesName(char c) {
        return isAttributeNameChar(c) || c == '-';
    }

    private static boolean isAttributeNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    private static boolean endsValue(char c) {
        return Character.isWhitespace(c) || c == ',' || c == '>' || c == '<';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Digits with at most one dot and at least one digit: no sign, exponent, NaN or hex that Double would take. */
    private static boolean isPlainDecimal(String s) {
        boolean digit = false;
        boolean dot = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digit;
    }
}
