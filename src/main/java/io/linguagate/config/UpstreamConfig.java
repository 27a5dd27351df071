package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The real OpenAI-compatible API behind the gateway (prefix {@code linguagate.upstream}). Its timeouts, pool size,
 * retry and circuit-breaker settings apply to the Anthropic upstream ({@link AnthropicConfig}) as well, each upstream
 * with a pool and a breaker of its own; base URL, key, headers and query parameters are this upstream's only.
 */
@ConfigMapping(prefix = "linguagate.upstream")
public interface UpstreamConfig {

    /** Base URL of the upstream API; a request to {@code /v1/X} goes to {@code {base-url}/X}. */
    @WithDefault("https://api.openai.com/v1")
    String baseUrl();

    /** Key the gateway sends upstream instead of the client's own; requires {@code linguagate.auth.keys}. */
    Optional<String> apiKey();

    /** How {@link #apiKey()} is sent: {@code bearer} (Authorization: Bearer) or {@code api-key} (Azure's header). */
    @WithDefault("bearer")
    AuthStyle authStyle();

    /**
     * Extra headers added to every request to this upstream (e.g. {@code OpenAI-Organization}); they replace client
     * values. Not sent to the Anthropic upstream.
     */
    Map<String, String> headers();

    /** Extra query parameters added to every request to this upstream (e.g. Azure's {@code api-version}). */
    Map<String, String> queryParams();

    /** Longest wait for a non-streaming upstream answer, and for the first response headers of any call. */
    @WithDefault("600s")
    Duration timeout();

    /** Longest silence between two chunks of a streamed upstream response before the stream is cut with an error. */
    @WithDefault("300s")
    Duration streamIdleTimeout();

    /**
     * Longest time a 429/5xx answer's body is held to decide on a retry; past it (or past the replay buffer) what
     * arrived is relayed and the rest streams through, with no retry.
     */
    @WithDefault("5s")
    Duration errorBodyTimeout();

    /** Longest wait for a TCP/TLS connection to the upstream. */
    @WithDefault("10s")
    Duration connectTimeout();

    /**
     * How long an idle pooled connection to the upstream is kept. Below common server keep-alive limits (Node and
     * uvicorn/vLLM close after 5 s, nginx after 75 s), so the gateway rarely writes on a connection the upstream is
     * closing; when it does, the request is sent once more on a new connection.
     */
    @WithDefault("4s")
    Duration poolIdleTimeout();

    /** Connection pool size towards the upstream (HTTP/1.1 connections). */
    @WithDefault("512")
    int maxConnections();

    /** Retries of failed calls: only those that are safe to repeat. */
    Retry retry();

    /** Circuit breaker that answers 503 fast while the upstream keeps failing. */
    CircuitBreaker circuitBreaker();

    enum AuthStyle {
        BEARER, API_KEY
    }

    interface Retry {
        /** Retries after the first attempt (0 disables retrying). */
        @WithDefault("2")
        int maxRetries();

        /** First backoff delay when the upstream gives no Retry-After; doubles each retry. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** A Retry-After longer than this is not waited for: the upstream's answer goes to the client. */
        @WithDefault("10s")
        Duration maxRetryAfter();

        /**
         * Retry 429 answers too. Off by default: clients (every OpenAI SDK) back off on 429 themselves, and a gateway
         * retrying as well turns one rate-limited call into several upstream calls.
         */
        @WithName("on-429")
        @WithDefault("false")
        boolean on429();

        /** Bound on the total time spent retrying one request. */
        @WithDefault("20s")
        Duration maxTotalWait();
    }

    interface CircuitBreaker {
        /** Whether the circuit breaker is active. */
        @WithDefault("true")
        boolean enabled();

        /** Calls in the rolling window the failure ratio is computed over. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Failure ratio in the window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("10s")
        Duration delay();

        /** Successful trial calls needed to close the breaker again. */
        @WithDefault("2")
        int successThreshold();
    }
}
