package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Limits of {@code POST /v1/compress} (prefix {@code linguagate.compress}). */
@ConfigMapping(prefix = "linguagate.compress")
public interface CompressEndpointConfig {

    /** Largest prompt accepted, in target-LLM tokens (all contexts together); larger ones get 413. */
    @WithDefault("131072")
    int maxTokens();

    /** Longest compression; a slower one is stopped (before its next model batch) and answered 504. */
    @WithDefault("60s")
    Duration timeout();
}
