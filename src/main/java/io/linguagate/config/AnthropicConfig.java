package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Anthropic's Messages API behind the gateway (prefix {@code linguagate.anthropic}): {@code POST /v1/messages},
 * {@code /v1/messages/*} and Anthropic clients' {@code /v1/models} go there. Retries, circuit breaker, timeouts and
 * pool size are those of {@code linguagate.upstream.*}; the Anthropic upstream has its own pool and breaker.
 */
@ConfigMapping(prefix = "linguagate.anthropic")
public interface AnthropicConfig {

    /**
     * Base URL of the Anthropic API, without {@code /v1} (as Anthropic SDKs' {@code ANTHROPIC_BASE_URL}): a request to
     * {@code /v1/X} goes to {@code {base-url}/v1/X}.
     */
    @WithDefault("https://api.anthropic.com")
    String baseUrl();

    /**
     * Key the gateway sends as {@code x-api-key} instead of the client's own; requires {@code linguagate.auth.keys}.
     */
    Optional<String> apiKey();
}
