package io.linguagate.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What compression did to one chat request, for the savings headers and metrics.
 *
 * @param status           {@code applied}, {@code skipped:REASON}, {@code disabled} or {@code failed-open:REASON}
 * @param originalTokens   target-LLM tokens of the message texts the policy looked at, before
 * @param compressedTokens the same texts after compression (= original when nothing was applied)
 * @param cache            {@code hit}, {@code miss}, {@code partial}, or {@code none} when nothing needed inference
 * @param edits            the changed texts (compressed, or only {@code <llmlingua>} tags stripped) by JSON pointer
 *                         into the request body
 */
public record ChatOutcome(String status, int originalTokens, int compressedTokens, String cache,
        Map<String, String> edits) {

    public ChatOutcome {
        edits = Collections.unmodifiableMap(new LinkedHashMap<>(edits));
    }

    public static ChatOutcome unchanged(String status, int tokens) {
        return new ChatOutcome(status, tokens, tokens, "none", Map.of());
    }

    /** Whether any text changed. */
    public boolean rewritten() {
        return !edits.isEmpty();
    }

    public boolean applied() {
        return status.equals("applied");
    }

    public int savedTokens() {
        return originalTokens - compressedTokens;
    }
}
