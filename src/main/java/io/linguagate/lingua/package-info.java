/**
 * The LLMLingua-2 algorithm (arXiv 2403.12968), pure JDK: chunking, token-to-word merge,
 * per-chunk percentile threshold, context-level filter and text rebuild.
 *
 * <p>This package deliberately knows nothing about ONNX Runtime, tokenizer libraries, tiktoken
 * or HTTP. It talks to the outside through three small interfaces that other layers implement:
 * {@link io.linguagate.lingua.ClassifierTokenizer} (the classifier's tokenizer),
 * {@link io.linguagate.lingua.KeepProbabilityModel} (the token classifier) and
 * {@link io.linguagate.lingua.TargetTokenCounter} (the target LLM's tokenizer). That keeps every
 * decision of the algorithm unit-testable with fake probabilities, to the last tie-break.
 *
 * <p>Entry point: {@link io.linguagate.lingua.Llmlingua2Compressor}. The behaviour follows the
 * reference {@code compress_prompt_llmlingua2} (microsoft/LLMLingua, MIT) as described in
 * {@code docs/llmlingua2-algorithm.md}; the deliberate deviations are listed on that class.
 */
package io.linguagate.lingua;
