package io.linguagate.upstream;

import io.linguagate.config.UpstreamConfig;
import io.linguagate.observability.GatewayMetrics.UpstreamMeters;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * The retry + circuit-breaker policy around one upstream attempt, built from {@link UpstreamConfig}. Each upstream
 * gets a guard of its own: one API failing opens only its own breaker.
 */
final class UpstreamGuard {

    private static final Logger LOG = Logger.getLogger(UpstreamGuard.class);

    private UpstreamGuard() {
    }

    static TypedGuard<Uni<UpstreamResponse>> build(UpstreamApi api, UpstreamConfig config, UpstreamMeters metrics) {
        UpstreamConfig.Retry retry = config.retry();
        long maxRetryAfter = retry.maxRetryAfter().toMillis();
        TypedGuard.Builder<Uni<UpstreamResponse>> builder = TypedGuard
                .create(new TypeLiteral<Uni<UpstreamResponse>>() {
                })
                .withDescription(api.guardName())
                .withThreadOffload(false);
        if (retry.maxRetries() > 0) {
            builder = builder.withRetry()
                    .maxRetries(retry.maxRetries())
                    .maxDuration(retry.maxTotalWait().toMillis(), ChronoUnit.MILLIS)
                    .whenException(err -> retryable(err, maxRetryAfter, retry.on429()))
                    .beforeRetry(err -> metrics.retry(reason(err)))
                    .withCustomBackoff()
                    .strategy(() -> new HonourRetryAfter(retry.initialDelay().toMillis()))
                    .done()
                    .done();
        }
        UpstreamConfig.CircuitBreaker breaker = config.circuitBreaker();
        if (breaker.enabled()) {
            builder = builder.withCircuitBreaker()
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .when(UpstreamGuard::countsAsFailure)
                    .onStateChange(state -> {
                        metrics.circuitState(state);
                        LOG.warnf("%s circuit breaker is now %s", api.label(), state);
                    })
                    .done();
        }
        return builder.build();
    }

    /**
     * Safe to repeat: nothing was sent, or the upstream said it did not process the call (502/503, and 429 when
     * {@code on-429}: by default a rate limit goes back to the client, whose SDK backs off itself — retrying here
     * too would multiply its own retries).
     */
    static boolean retryable(Throwable err, long maxRetryAfterMillis, boolean on429) {
        return switch (err) {
            case UpstreamUnreachableException u -> true;
            case UpstreamStatusException s -> s.replayable() && s.retryableStatus() && (on429 || s.status() != 429)
                    && s.retryAfterMillis() <= maxRetryAfterMillis;
            default -> false;
        };
    }

    static boolean countsAsFailure(Throwable err) {
        return switch (err) {
            case UpstreamStatusException s -> s.serverFailure();
            case UpstreamException e -> true;
            default -> false;
        };
    }

    private static String reason(Throwable err) {
        return err instanceof UpstreamStatusException s ? Integer.toString(s.status()) : "unreachable";
    }

    /** Waits what the upstream asked for; without a Retry-After, exponential backoff from the initial delay. */
    static final class HonourRetryAfter implements CustomBackoffStrategy {
        private long next;

        HonourRetryAfter(long initialDelayMillis) {
            this.next = initialDelayMillis;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long exponential = next;
            next = Math.min(next * 2, 30_000);
            if (cause instanceof UpstreamStatusException s && s.retryAfterMillis() >= 0) {
                return s.retryAfterMillis();
            }
            return exponential;
        }
    }
}
