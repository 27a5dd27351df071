package io.linguagate.upstream;

/**
 * The APIs the gateway forwards to. Each has its own {@link UpstreamClient} (connection pool, circuit breaker,
 * metrics) and its own credentials; retries, timeouts and pool size are shared ({@code linguagate.upstream.*}).
 */
public enum UpstreamApi {

    /** The OpenAI-compatible upstream ({@code linguagate.upstream}): gateway {@code /v1/X} → {@code {base-url}/X}. */
    OPENAI("linguagate.upstream", "https://api.openai.com/v1", "upstream", "linguagate.upstream", "Upstream"),

    /** Anthropic's API ({@code linguagate.anthropic}): gateway {@code /v1/X} → {@code {base-url}/v1/X}. */
    ANTHROPIC("linguagate.anthropic", "https://api.anthropic.com", "anthropic-upstream",
            "linguagate.anthropic.upstream", "Anthropic upstream"),

    /**
     * Azure OpenAI's deployment paths ({@code linguagate.azure}): gateway {@code /openai/X} → {@code {base-url}/openai/X},
     * with the OpenAI upstream's credentials.
     */
    AZURE("linguagate.azure", "https://my-resource.openai.azure.com", "azure-upstream", "linguagate.azure.upstream",
            "Azure OpenAI upstream");

    private final String configPrefix;
    private final String exampleUrl;
    private final String guardName;
    private final String metricPrefix;
    private final String label;

    UpstreamApi(String configPrefix, String exampleUrl, String guardName, String metricPrefix, String label) {
        this.configPrefix = configPrefix;
        this.exampleUrl = exampleUrl;
        this.guardName = guardName;
        this.metricPrefix = metricPrefix;
        this.label = label;
    }

    /** The key of this API's base URL, for messages that tell an operator what to fix. */
    public String baseUrlKey() {
        return configPrefix + ".base-url";
    }

    /** A base URL of the right form, for the message about a wrong one. */
    String exampleUrl() {
        return exampleUrl;
    }

    /** Names this API's fault-tolerance guard (SmallRye's metrics tag it with this). */
    String guardName() {
        return guardName;
    }

    /**
     * Prefix of this API's upstream metrics: {@code linguagate.upstream} for the OpenAI upstream (its series are
     * named as they always were), {@code linguagate.anthropic.upstream} for Anthropic's.
     */
    public String metricPrefix() {
        return metricPrefix;
    }

    /** How log lines name this upstream. */
    String label() {
        return label;
    }

    /**
     * The upstream path (and query) for a gateway request whose path below {@code /v1} is {@code belowV1}: the
     * OpenAI base URL stands for {@code /v1} itself, Anthropic's is the host root (its paths keep {@code /v1}).
     * (Azure's paths are not below {@code /v1}: they go as they came, see {@code PassthroughHandler}.)
     */
    public String path(String belowV1) {
        return this == ANTHROPIC ? "/v1" + belowV1 : belowV1;
    }
}
