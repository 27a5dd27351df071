package io.linguagate.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What chat compression compresses, and how hard (prefix {@code linguagate.compression}). */
@ConfigMapping(prefix = "linguagate.compression")
public interface CompressionConfig {

    /** Compress chat completions (per request: header {@code x-compression: off|on}). */
    @WithDefault("true")
    boolean enabled();

    /** Fraction of target-LLM tokens kept in compressed text, in (0, 1]. */
    @WithDefault("0.5")
    double rate();

    /** Per-role rates overriding {@code rate}, e.g. {@code linguagate.compression.role-rates.tool=0.3}. */
    Map<String, Double> roleRates();

    /**
     * Roles whose text is compressed. The last {@code user} message is never in this set's reach (see
     * {@code last-user-*}); {@code assistant} messages are kept by default.
     */
    @WithDefault("system,developer,tool,function,user")
    Set<String> roles();

    /** Texts shorter than this many target-LLM tokens are left alone (little to gain, more to lose). */
    @WithDefault("200")
    int minTokens();

    /**
     * The last user message (the question) is compressed only when longer than this many target-LLM tokens, and
     * then its final sentence is kept verbatim.
     */
    @WithDefault("4000")
    int lastUserMinTokens();

    /** Rate for a long last user message (mild: it holds the instruction). */
    @WithDefault("0.8")
    double lastUserRate();

    /** Keep numbers verbatim inside compressed text (besides code, JSON, URLs and e-mail addresses, always kept). */
    @WithDefault("true")
    boolean protectNumbers();

    /** Compression slower than this is abandoned and the original request forwarded (fail open). */
    @WithDefault("2s")
    Duration timeout();

    /**
     * Requests whose compression may wait for or run on the model at once; beyond, a request is forwarded at once
     * uncompressed ({@code skipped:busy}), as is one whose predicted finish is past its timeout.
     */
    @WithDefault("8")
    int maxQueue();

    /**
     * After a compression timed out (the request went upstream uncompressed), the work may go on for this long to
     * fill the cache for the next request with the same text; work skipped as busy starts behind with this as its
     * deadline ({@code 0}: neither). Past it, the work stops at its next batch.
     */
    @WithDefault("30s")
    Duration behindBudget();

    /** Compressions allowed behind at once (see {@code behind-budget}); others are stopped, or not started. */
    @WithDefault("1")
    int maxBehind();

    /**
     * A JSON Lines file of request bodies (chat completions or Responses, as a client sends them) whose texts are
     * compressed into the segment cache once the model is ready, so the first real request with one of these
     * system prompts is already a cache hit. Checked at start: a missing file or a line that is not such a body
     * stops the gateway.
     */
    Optional<Path> warmPrompts();

    /** Compressed segments remembered (LRU), so a repeated system prompt costs no inference. */
    @WithDefault("2000")
    int cacheSize();

    /**
     * Heap the compressed-segment cache may hold (texts at 2 bytes a character plus a fixed overhead per entry);
     * the least recently used entries go first. Bounds memory whatever the segments' sizes.
     */
    @WithDefault("64M")
    MemorySize cacheMaxBytes();

    /**
     * Anthropic Messages blocks carrying {@code cache_control}: {@code keep} (default: a prompt-caching client placed
     * that marker on purpose, and a changed block misses the provider's cache) or {@code compress}.
     */
    @WithDefault("keep")
    CacheControlBlocks cacheControlBlocks();

    enum CacheControlBlocks {
        KEEP, COMPRESS
    }

    /** JSON documents in texts (tool results, JSON blocks): compressed string by string, layout kept. */
    Json json();

    /** Prefix {@code linguagate.compression.json}. */
    interface Json {

        /**
         * A string value of a JSON document is compressed (as a text of its own) when it has at least this many
         * target-LLM tokens and contains a space; shorter strings, keys, numbers and space-free strings (ids, URLs,
         * dates) are kept.
         */
        @WithDefault("16")
        int minStringTokens();
    }
}
