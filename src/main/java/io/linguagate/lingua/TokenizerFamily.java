package io.linguagate.lingua;

import java.util.Set;

/**
 * The two tokenizer families LLMLingua-2 checkpoints use. The family decides which token opens a
 * new word and what a token's "pure" text is; the rules are the reference's
 * ({@code is_begin_of_new_word} / {@code get_pure_token}).
 */
public enum TokenizerFamily {

    /** BERT WordPiece: continuation pieces start with {@code ##}. */
    WORDPIECE {
        @Override
        boolean isWordStart(String piece, boolean placeholder, Set<String> forceTokens) {
            return placeholder || forceTokens.contains(pure(piece)) || !piece.startsWith("##");
        }

        @Override
        String pure(String piece) {
            return stripLeading(piece, '#');
        }

        @Override
        char mark() {
            return '#';
        }
    },

    /** XLM-RoBERTa SentencePiece: word-initial pieces start with {@code ▁} (U+2581). */
    SENTENCEPIECE {
        @Override
        boolean isWordStart(String piece, boolean placeholder, Set<String> forceTokens) {
            // The reference tests `token in string.punctuation`, a substring test: a lone ASCII
            // punctuation char, but also runs such as "()" that occur in that constant. Kept as is
            // because it decides the word grouping the model was evaluated with.
            return placeholder
                    || piece.startsWith(SPACE_MARK)
                    || forceTokens.contains(piece)
                    || (!piece.isEmpty() && ASCII_PUNCTUATION.contains(piece));
        }

        @Override
        String pure(String piece) {
            return stripLeading(piece, '\u2581');
        }

        @Override
        char mark() {
            return '\u2581';
        }
    };

    /** Python's {@code string.punctuation}. */
    static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** SentencePiece's word-boundary marker. */
    static final String SPACE_MARK = "\u2581";

    /**
     * Whether {@code piece} opens a new word.
     *
     * @param placeholder the token is a {@code [NEWi]} placeholder of a mapped force token
     * @param forceTokens the caller's force tokens (original strings)
     */
    abstract boolean isWordStart(String piece, boolean placeholder, Set<String> forceTokens);

    /** The piece without its family marker ({@code ##} / {@code ▁}), as the reference strips it. */
    abstract String pure(String piece);

    /** The family's marker char ({@code #} / {@code ▁}). */
    abstract char mark();

    /** Number of leading marker chars {@link #pure} strips. */
    int markLength(String piece) {
        char m = mark();
        int i = 0;
        while (i < piece.length() && piece.charAt(i) == m) {
            i++;
        }
        return i;
    }

    /** Like Python's {@code str.lstrip(chars)} with a single char: strips every leading copy. */
    static String stripLeading(String s, char c) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == c) {
            i++;
        }
        return i == 0 ? s : s.substring(i);
    }
}
