package io.linguagate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Chat compression in Prometheus: tokens and dollars saved by target model, and compression latency by outcome.
 * The model tag is bounded by the caller (a priced model's name, else {@code other}).
 */
@ApplicationScoped
public class CompressionMetrics {

    private final MeterRegistry registry;

    CompressionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One chat request's compression: outcome is {@code applied}, {@code skipped}, {@code disabled} or {@code failed_open}. */
    public void compressed(String outcome, String model, long savedTokens, BigDecimal savedUsd, long nanos) {
        Timer.builder("linguagate.compression")
                .description("Chat compression latency (planning, cache, inference, rewrite), by outcome")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
        if (savedTokens > 0) {
            Counter.builder("linguagate.compression.saved.tokens").description("Prompt tokens saved, by target model")
                    .tag("model", model).register(registry).increment(savedTokens);
            Counter.builder("linguagate.compression.saved.usd").baseUnit("usd")
                    .description("Input-token dollars saved at list price, by target model")
                    .tag("model", model).register(registry).increment(savedUsd.doubleValue());
        }
    }
}
