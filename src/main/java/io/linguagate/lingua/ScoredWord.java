package io.linguagate.lingua;

/**
 * One word as the classifier saw it, for the {@code return_words} debug view.
 *
 * @param text the word's text copied from the original context
 * @param prob the probability the keep decision used (after forcing); {@code NaN} when no model
 *             ran for the job (nothing to compress)
 * @param kept whether the word is in the compressed output
 */
public record ScoredWord(String text, double prob, boolean kept) {
}
