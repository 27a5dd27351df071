package io.linguagate.lingua;

import java.util.Locale;

/** How a word's probability is derived from its tokens' probabilities. */
public enum TokenToWord {
    /** Mean of the token probabilities (reference default). */
    MEAN,
    /** Probability of the word's first token. */
    FIRST;

    /** Parses the API spelling ({@code "mean"} / {@code "first"}). */
    public static TokenToWord parse(String value) {
        if (value != null) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "mean":
                    return MEAN;
                case "first":
                    return FIRST;
                default:
                    break;
            }
        }
        throw new InvalidCompressionOptionException("token_to_word",
                "must be \"mean\" or \"first\", got " + (value == null ? "null" : "\"" + value + "\""));
    }

    /** The API spelling. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
