package io.linguagate.lingua;

import java.util.OptionalInt;

/**
 * The LLMLingua-2 classifier's tokenizer, as the algorithm needs it. Implemented by the model
 * layer (e.g. over a HuggingFace {@code tokenizer.json}); faked in tests.
 *
 * <p>Contract for implementers:
 * <ul>
 *   <li>{@link #tokenize} adds no special tokens (no CLS/SEP) and reports offsets into the text it
 *       was given. An offset range may include the whitespace a {@code ▁} stands for; the
 *       compressor trims it.</li>
 *   <li>The placeholders {@code [NEW0]..[NEW99]} are added tokens: the tokenizer must emit each as
 *       one token wherever it appears in the text.</li>
 *   <li>{@link #isSpecial} is true for CLS/SEP/PAD/MASK-like tokens, false for the placeholders.
 *       We recommend reporting the unknown token ({@code [UNK]}/{@code <unk>}) as <em>not</em>
 *       special, so characters the vocabulary lacks (emoji, rare scripts) stay words and can be
 *       kept; the reference drops them silently.</li>
 * </ul>
 */
public interface ClassifierTokenizer {

    /** The family, decided from the model's {@code config.json}, never from its name. */
    TokenizerFamily family();

    /** Tokenizes {@code text} without special tokens. */
    TokenizedText tokenize(String text);

    /** Whether {@code text} tokenizes to exactly one token (decides whether a force token needs a placeholder). */
    boolean isSingleToken(String text);

    /** Whether {@code tokenId} is a special token that the word merge skips (placeholders excluded). */
    boolean isSpecial(int tokenId);

    /** The id of an added placeholder token such as {@code [NEW3]}, if the vocabulary has it. */
    OptionalInt placeholderId(String placeholder);
}
