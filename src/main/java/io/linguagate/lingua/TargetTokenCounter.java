package io.linguagate.lingua;

/**
 * Counts tokens the way the target LLM's tokenizer does (the reference uses cl100k). Implemented
 * by the savings layer; it decides both the reported savings and the per-word weights of the
 * percentile threshold.
 */
@FunctionalInterface
public interface TargetTokenCounter {

    /** Number of target-LLM tokens of {@code text} (0 for the empty string). */
    int count(String text);
}
