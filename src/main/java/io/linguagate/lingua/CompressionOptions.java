package io.linguagate.lingua;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of one LLMLingua-2 compression, named and defaulted as in the reference
 * {@code compress_prompt_llmlingua2}. Validated on construction, so an instance is always usable;
 * a bad value raises {@link InvalidCompressionOptionException} naming the parameter.
 *
 * <p>Integer targets use {@code -1} for "not given", as the reference does.
 *
 * @param rate                    fraction of target-LLM tokens to keep, in (0, 1]
 * @param targetToken             token budget; {@code > 0} overrides {@code rate} ({@code -1}: none)
 * @param forceTokens             strings always kept (at most {@value #MAX_FORCE_TOKENS})
 * @param forceReserveDigit       keep every token containing a digit
 * @param dropConsecutive         drop a force token repeating the previous kept force token
 * @param tokenToWord             word probability from token probabilities
 * @param chunkEndTokens          token strings a chunk may end at
 * @param useContextLevelFilter   drop whole low-scoring contexts first (needs two or more contexts)
 * @param useTokenLevelFilter     run the word-level filter (off: contexts are kept whole)
 * @param contextLevelRate        fraction of contexts to keep, in (0, 1]
 * @param targetContext           number of contexts to keep ({@code -1}: none)
 * @param contextLevelTargetToken token budget of the context filter ({@code -1}: none)
 * @param forceContextIds         indexes of contexts the context filter always keeps
 * @param returnWordLabel         also build {@code fn_labeled_original_prompt}
 * @param wordSep                 separator between labelled words
 * @param labelSep                separator between a word and its label
 * @param returnWords             also return every word with its probability and decision
 */
public record CompressionOptions(
        double rate,
        int targetToken,
        List<String> forceTokens,
        boolean forceReserveDigit,
        boolean dropConsecutive,
        TokenToWord tokenToWord,
        List<String> chunkEndTokens,
        boolean useContextLevelFilter,
        boolean useTokenLevelFilter,
        double contextLevelRate,
        int targetContext,
        int contextLevelTargetToken,
        List<Integer> forceContextIds,
        boolean returnWordLabel,
        String wordSep,
        String labelSep,
        boolean returnWords) {

    /** The classifier vocabulary has 100 placeholders, {@code [NEW0]..[NEW99]}. */
    public static final int MAX_FORCE_TOKENS = 100;

    public static final String DEFAULT_WORD_SEP = "\t\t|\t\t";
    public static final String DEFAULT_LABEL_SEP = " ";
    public static final List<String> DEFAULT_CHUNK_END_TOKENS = List.of(".", "\n");

    public CompressionOptions {
        if (!(rate > 0.0 && rate <= 1.0)) {
            throw new InvalidCompressionOptionException("rate", "must be in (0, 1], got " + rate);
        }
        requireTargetOrUnset("target_token", targetToken);
        requireTargetOrUnset("target_context", targetContext);
        requireTargetOrUnset("context_level_target_token", contextLevelTargetToken);
        if (!(contextLevelRate > 0.0 && contextLevelRate <= 1.0)) {
            throw new InvalidCompressionOptionException("context_level_rate",
                    "must be in (0, 1], got " + contextLevelRate);
        }
        forceTokens = copyStrings("force_tokens", forceTokens);
        if (forceTokens.size() > MAX_FORCE_TOKENS) {
            throw new InvalidCompressionOptionException("force_tokens",
                    "at most " + MAX_FORCE_TOKENS + " force tokens, got " + forceTokens.size());
        }
        for (String t : forceTokens) {
            if (t.isEmpty()) {
                throw new InvalidCompressionOptionException("force_tokens", "must not contain an empty string");
            }
        }
        chunkEndTokens = copyStrings("chunk_end_tokens", chunkEndTokens == null ? DEFAULT_CHUNK_END_TOKENS : chunkEndTokens);
        if (tokenToWord == null) {
            throw new InvalidCompressionOptionException("token_to_word", "must be \"mean\" or \"first\"");
        }
        List<Integer> ids = new ArrayList<>();
        if (forceContextIds != null) {
            for (Integer id : forceContextIds) {
                if (id == null || id < 0) {
                    throw new InvalidCompressionOptionException("force_context_ids",
                            "must hold non-negative context indexes, got " + id);
                }
                ids.add(id);
            }
        }
        forceContextIds = List.copyOf(ids);
        if (wordSep == null) {
            throw new InvalidCompressionOptionException("word_sep", "must not be null");
        }
        if (labelSep == null) {
            throw new InvalidCompressionOptionException("label_sep", "must not be null");
        }
    }

    /** The reference defaults: rate 0.5, mean, chunk ends "." and "\n", no filters beyond token level. */
    public static CompressionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this instance's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with another rate. */
    public CompressionOptions withRate(double newRate) {
        return toBuilder().rate(newRate).build();
    }

    private static void requireTargetOrUnset(String name, int value) {
        if (value < -1) {
            throw new InvalidCompressionOptionException(name, "must be -1 (not set) or >= 0, got " + value);
        }
    }

    private static List<String> copyStrings(String name, List<String> values) {
        if (values == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(values.size());
        for (String v : values) {
            if (v == null) {
                throw new InvalidCompressionOptionException(name, "must not contain null");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** Mutable builder with the reference defaults. */
    public static final class Builder {
        private double rate = 0.5;
        private int targetToken = -1;
        private List<String> forceTokens = List.of();
        private boolean forceReserveDigit;
        private boolean dropConsecutive;
        private TokenToWord tokenToWord = TokenToWord.MEAN;
        private List<String> chunkEndTokens = DEFAULT_CHUNK_END_TOKENS;
        private boolean useContextLevelFilter;
        private boolean useTokenLevelFilter = true;
        private double contextLevelRate = 1.0;
        private int targetContext = -1;
        private int contextLevelTargetToken = -1;
        private List<Integer> forceContextIds = List.of();
        private boolean returnWordLabel;
        private String wordSep = DEFAULT_WORD_SEP;
        private String labelSep = DEFAULT_LABEL_SEP;
        private boolean returnWords;

        private Builder() {
        }

        private Builder(CompressionOptions o) {
            rate = o.rate;
            targetToken = o.targetToken;
            forceTokens = o.forceTokens;
            forceReserveDigit = o.forceReserveDigit;
            dropConsecutive = o.dropConsecutive;
            tokenToWord = o.tokenToWord;
            chunkEndTokens = o.chunkEndTokens;
            useContextLevelFilter = o.useContextLevelFilter;
            useTokenLevelFilter = o.useTokenLevelFilter;
            contextLevelRate = o.contextLevelRate;
            targetContext = o.targetContext;
            contextLevelTargetToken = o.contextLevelTargetToken;
            forceContextIds = o.forceContextIds;
            returnWordLabel = o.returnWordLabel;
            wordSep = o.wordSep;
            labelSep = o.labelSep;
            returnWords = o.returnWords;
        }

        public Builder rate(double v) { rate = v; return this; }
        public Builder targetToken(int v) { targetToken = v; return this; }
        public Builder forceTokens(List<String> v) { forceTokens = v; return this; }
        public Builder forceReserveDigit(boolean v) { forceReserveDigit = v; return this; }
        public Builder dropConsecutive(boolean v) { dropConsecutive = v; return this; }
        public Builder tokenToWord(TokenToWord v) { tokenToWord = v; return this; }
        public Builder chunkEndTokens(List<String> v) { chunkEndTokens = v; return this; }
        public Builder useContextLevelFilter(boolean v) { useContextLevelFilter = v; return this; }
        public Builder useTokenLevelFilter(boolean v) { useTokenLevelFilter = v; return this; }
        public Builder contextLevelRate(double v) { contextLevelRate = v; return this; }
        public Builder targetContext(int v) { targetContext = v; return this; }
        public Builder contextLevelTargetToken(int v) { contextLevelTargetToken = v; return this; }
        public Builder forceContextIds(List<Integer> v) { forceContextIds = v; return this; }
        public Builder returnWordLabel(boolean v) { returnWordLabel = v; return this; }
        public Builder wordSep(String v) { wordSep = v; return this; }
        public Builder labelSep(String v) { labelSep = v; return this; }
        public Builder returnWords(boolean v) { returnWords = v; return this; }

        public CompressionOptions build() {
            return new CompressionOptions(rate, targetToken, forceTokens, forceReserveDigit, dropConsecutive,
                    tokenToWord, chunkEndTokens, useContextLevelFilter, useTokenLevelFilter, contextLevelRate,
                    targetContext, contextLevelTargetToken, forceContextIds, returnWordLabel, wordSep, labelSep,
                    returnWords);
        }
    }
}
