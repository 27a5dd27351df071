package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * Azure OpenAI deployment paths (prefix {@code linguagate.azure}): {@code /openai/*} requests, as the
 * {@code AzureOpenAI} clients send them, go to {@code {base-url}/openai/*} with their query string.
 */
@ConfigMapping(prefix = "linguagate.azure")
public interface AzureConfig {

    /**
     * The Azure OpenAI resource, e.g. {@code https://my-resource.openai.azure.com}. Default: the scheme, host and
     * port of {@code linguagate.upstream.base-url} (an upstream configured for that resource). The gateway-held key
     * and extra headers of {@code linguagate.upstream} apply to these calls too.
     */
    Optional<String> baseUrl();

    /**
     * Deployment name → model, for prices and token encodings when a request body names no {@code model}, e.g.
     * {@code linguagate.azure.deployments.prod-chat=gpt-4o}. An unmapped deployment is counted with the fallback
     * encoding and reported {@code price-unknown}.
     */
    Map<String, String> deployments();
}
