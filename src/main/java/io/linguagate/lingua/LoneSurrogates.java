package io.linguagate.lingua;

/**
 * Java strings may hold unpaired surrogates (JSON's {@code "\ud800"} parses to one); UTF-8, which native tokenizers
 * and jtokkit work in, has no encoding for them. Before text goes to either, each unpaired surrogate becomes U+FFFD:
 * one UTF-16 unit and one code point, like the surrogate it stands for, so every offset still maps onto the
 * original text, and kept text is still copied from the original.
 */
public final class LoneSurrogates {

    private LoneSurrogates() {
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD (the same string when there is none). */
    public static String replaced(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? text : new String(chars);
    }
}
