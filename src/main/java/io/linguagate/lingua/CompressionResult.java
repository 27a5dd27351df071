package io.linguagate.lingua;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of one {@link CompressionJob}.
 *
 * @param compressedPrompt     kept contexts joined with {@code "\n\n"}
 * @param compressedPromptList compressed text per kept context (contexts dropped by the context filter are absent)
 * @param originTokens         target-LLM tokens of the original contexts (separators not counted)
 * @param compressedTokens     target-LLM tokens of the compressed contexts, summed per context
 * @param words                every word with its probability and decision when {@code return_words}, else empty
 * @param labeledPrompt        {@code fn_labeled_original_prompt} when {@code return_word_label}
 * @param forced               per compressed context (parallel to {@code compressedPromptList}): where its forced
 *                             spans are in its compressed text
 */
public record CompressionResult(
        String compressedPrompt,
        List<String> compressedPromptList,
        int originTokens,
        int compressedTokens,
        List<ScoredWord> words,
        Optional<String> labeledPrompt,
        List<ForcedPlacement> forced) {

    public CompressionResult {
        compressedPromptList = List.copyOf(compressedPromptList);
        words = List.copyOf(words);
        forced = List.copyOf(forced);
    }

    /** Original / compressed tokens (1 when nothing is left). */
    public double ratio() {
        return RatioFormat.ratio(originTokens, compressedTokens);
    }

    /** The reference's {@code ratio} string, e.g. {@code "3.1x"}. */
    public String ratioString() {
        return RatioFormat.ratioString(originTokens, compressedTokens);
    }

    /** The reference's {@code rate} string, e.g. {@code "32.0%"}. */
    public String rateString() {
        return RatioFormat.rateString(originTokens, compressedTokens);
    }

    /** Tokens saved (never negative). */
    public int savedTokens() {
        return Math.max(0, originTokens - compressedTokens);
    }
}
