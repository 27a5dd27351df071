package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** How savings are counted and priced (prefix {@code linguagate.savings}). */
@ConfigMapping(prefix = "linguagate.savings")
public interface SavingsConfig {

    /**
     * Token encoding for target models the gateway does not recognise (not OpenAI's): one of {@code cl100k_base},
     * {@code o200k_base}, {@code p50k_base}, {@code r50k_base}.
     */
    @WithDefault("cl100k_base")
    String fallbackEncoding();

    /**
     * A JSON price file (same shape as the bundled {@code prices.json}) whose entries replace or add to the
     * bundled prices; the bundled table is used alone when unset.
     */
    Optional<Path> priceFile();
}
