package io.linguagate.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The test oracle for "a kept text never contains a word that was not in the source", written independently of the
 * product's rebuild rules: a word is a maximal run of letters and digits, except that each character of a script
 * written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) is a word by itself.
 */
public final class SourceWords {

    private SourceWords() {
    }

    public static List<String> of(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!Character.isLetterOrDigit(cp)) {
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            i += Character.charCount(cp);
            if (!unspaced(cp)) {
                while (i < s.length() && Character.isLetterOrDigit(s.codePointAt(i)) && !unspaced(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
            }
            out.add(s.substring(start, i));
        }
        return out;
    }

    /** The words of {@code output} that {@code source} does not have (empty: none invented). */
    public static List<String> invented(String source, String output) {
        Set<String> known = new HashSet<>(of(source));
        return of(output).stream().filter(w -> !known.contains(w)).toList();
    }

    private static boolean unspaced(int cp) {
        return switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> true;
            default -> false;
        };
    }
}
