package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import java.util.Set;

/** Who may call the gateway (prefix {@code linguagate.auth}). */
@ConfigMapping(prefix = "linguagate.auth")
public interface AuthConfig {

    /**
     * Inbound keys clients must present (as {@code Authorization: Bearer KEY}, {@code api-key: KEY} or
     * {@code x-api-key: KEY}). When set, the presented key is checked and none of these headers is forwarded.
     * Required when the gateway injects its own upstream key (OpenAI's or Anthropic's), so a shared gateway never
     * lends that key to anonymous callers.
     */
    Optional<Set<String>> keys();
}
