package io.linguagate.plan;

/** Writes a Java string as a JSON string literal (RFC 8259), so a rewritten value parses back to exactly it. */
public final class JsonStringLiteral {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStringLiteral() {
    }

    /**
     * {@code value} in double quotes: quote and backslash escaped, control characters as short ({@code \n}) or
     * six-character unicode escapes, an unpaired surrogate as a unicode escape too (it has no UTF-8 form; the escape
     * keeps what the client sent), everything else as it is (no escaped slash, no escaped non-ASCII).
     */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        out.append('"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }
}
