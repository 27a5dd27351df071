package io.linguagate.plan;

/**
 * What compression did to one chat request, for the savings headers and metrics.
 *
 * @param status           {@code applied}, {@code skipped:REASON}, {@code disabled} or {@code failed-open:REASON}
 * @param originalTokens   target-LLM tokens of the message texts the policy looked at, before
 * @param compressedTokens the same texts after compression (= original when nothing was applied)
 * @param cache            {@code hit}, {@code miss}, {@code partial}, or {@code none} when nothing needed inference
 * @param rewritten        whether any text changed (compressed, or only {@code <llmlingua>} tags stripped)
 */
public record ChatOutcome(String status, int originalTokens, int compressedTokens, String cache, boolean rewritten) {

    public static ChatOutcome unchanged(String status, int tokens) {
        return new ChatOutcome(status, tokens, tokens, "none", false);
    }

    public boolean applied() {
        return status.equals("applied");
    }

    public int savedTokens() {
        return originalTokens - compressedTokens;
    }
}
