package io.linguagate.gateway;

import io.linguagate.config.CompressEndpointConfig;
import io.linguagate.config.CompressionConfig;
import io.linguagate.config.GatewayConfig;
import io.linguagate.config.ModelConfig;
import io.linguagate.config.UpstreamConfig;
import io.linguagate.upstream.SecretScrubber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks every setting whose bad value would not fail by itself but make the gateway misbehave later (a rate of 0
 * failing every request open, a count of 0 hanging the start, a zero timeout). Each problem is one line naming the
 * key, its environment variable, the value found and what is allowed.
 */
final class SettingsValidator {

    private final List<String> problems = new ArrayList<>();

    static List<String> problems(GatewayConfig gateway, UpstreamConfig upstream, CompressionConfig compression,
            CompressEndpointConfig compress, ModelConfig model) {
        SettingsValidator v = new SettingsValidator();
        v.atLeast("linguagate.compress.max-tokens", compress.maxTokens(), 1);
        v.positive("linguagate.compress.timeout", compress.timeout());
        v.atLeast("linguagate.compression.cache-max-bytes", compression.cacheMaxBytes().asLongValue(), 0);
        v.rate("linguagate.compression.rate", compression.rate());
        v.rate("linguagate.compression.last-user-rate", compression.lastUserRate());
        compression.roleRates().forEach((role, rate) -> v.rate("linguagate.compression.role-rates." + role, rate));
        v.atLeast("linguagate.compression.min-tokens", compression.minTokens(), 0);
        v.atLeast("linguagate.compression.last-user-min-tokens", compression.lastUserMinTokens(), 0);
        v.atLeast("linguagate.compression.cache-size", compression.cacheSize(), 0);
        v.positive("linguagate.compression.timeout", compression.timeout());
        v.atLeast("linguagate.compression.max-queue", compression.maxQueue(), 1);
        v.atLeast("linguagate.compression.max-behind", compression.maxBehind(), 0);
        v.atLeast("linguagate.compression.behind-budget", compression.behindBudget().toMillis(), 0);
        v.atLeast("linguagate.compression.json.min-string-tokens", compression.json().minStringTokens(), 1);
        v.atLeast("linguagate.model.concurrent-inferences", model.concurrentInferences(), 1);
        model.maxBatchSize().ifPresent(n -> v.atLeast("linguagate.model.max-batch-size", n, 1));
        model.intraOpThreads().ifPresent(n -> v.atLeast("linguagate.model.intra-op-threads", n, 1));
        v.atLeast("linguagate.model.cuda-device-id", model.cudaDeviceId(), 0);
        v.window("linguagate.model.batch-window", model.batchWindow());
        v.atLeast("linguagate.max-concurrent-requests", gateway.maxConcurrentRequests(), 1);
        v.atLeast("linguagate.max-body-size", gateway.maxBodySize().asLongValue(), 1);
        v.atLeast("linguagate.replay-buffer-size", gateway.replayBufferSize().asLongValue(), 0);
        v.positive("linguagate.client-body-timeout", gateway.clientBodyTimeout());
        v.positive("linguagate.capacity-stuck-after", gateway.capacityStuckAfter());
        v.notNegative("linguagate.shutdown-grace", gateway.shutdownGrace());
        v.positive("linguagate.upstream.timeout", upstream.timeout());
        v.positive("linguagate.upstream.stream-idle-timeout", upstream.streamIdleTimeout());
        v.positive("linguagate.upstream.connect-timeout", upstream.connectTimeout());
        v.positive("linguagate.upstream.error-body-timeout", upstream.errorBodyTimeout());
        v.positive("linguagate.upstream.pool-idle-timeout", upstream.poolIdleTimeout());
        v.atLeast("linguagate.upstream.max-connections", upstream.maxConnections(), 1);
        v.atLeast("linguagate.upstream.retry.max-retries", upstream.retry().maxRetries(), 0);
        v.notNegative("linguagate.upstream.retry.initial-delay", upstream.retry().initialDelay());
        v.notNegative("linguagate.upstream.retry.max-retry-after", upstream.retry().maxRetryAfter());
        v.positive("linguagate.upstream.retry.max-total-wait", upstream.retry().maxTotalWait());
        UpstreamConfig.CircuitBreaker breaker = upstream.circuitBreaker();
        v.atLeast("linguagate.upstream.circuit-breaker.request-volume-threshold", breaker.requestVolumeThreshold(), 1);
        v.atLeast("linguagate.upstream.circuit-breaker.success-threshold", breaker.successThreshold(), 1);
        if (!(breaker.failureRatio() > 0 && breaker.failureRatio() <= 1)) {
            v.bad("linguagate.upstream.circuit-breaker.failure-ratio", breaker.failureRatio(), "a ratio in (0, 1]");
        }
        v.positive("linguagate.upstream.circuit-breaker.delay", breaker.delay());
        return v.problems;
    }

    /** The environment variable that sets {@code key}. */
    static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Credential headers among {@code upstream.headers.*}: they lend a key exactly as {@code upstream.api-key} does. */
    static List<String> credentialHeaders(UpstreamConfig upstream) {
        return upstream.headers().keySet().stream().filter(SecretScrubber::isCredentialHeader).toList();
    }

    private void rate(String key, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            bad(key, rate, "a rate in (0, 1] (the fraction of tokens kept)");
        }
    }

    private void atLeast(String key, long value, long min) {
        if (value < min) {
            bad(key, value, "a whole number ≥ " + min);
        }
    }

    private void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            bad(key, value, "a duration > 0, such as 30s");
        }
    }

    private void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            bad(key, value, "a duration ≥ 0, such as 10s");
        }
    }

    /** A wait added to a request's first model call: small, or requests wait for nothing. */
    private void window(String key, Duration value) {
        if (value.isNegative() || value.compareTo(Duration.ofSeconds(1)) > 0) {
            bad(key, value, "a duration from 0 to 1s, such as 2ms");
        }
    }

    private void bad(String key, Object value, String allowed) {
        problems.add(key + " (env " + env(key) + ") is " + value + ": use " + allowed + ".");
    }
}
