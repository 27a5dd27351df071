package io.linguagate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Chat compression in Prometheus: tokens and dollars saved by target model, and compression latency by outcome.
 * The model tag is bounded by the caller (a priced model's name, else {@code other}).
 */
@ApplicationScoped
public class CompressionMetrics {

    private final MeterRegistry registry;
    /**
     * Meters by their tags, built once: a builder and a registry lookup per request cost a passthrough request a
     * measurable share of its CPU. The tag values are bounded, so are these maps.
     */
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Counter[]> savings = new ConcurrentHashMap<>();

    CompressionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * One request's compression: outcome is {@code applied}, {@code skipped}, {@code disabled} or
     * {@code failed_open}; surface the API ({@code chat_completions}, {@code responses}, {@code completions},
     * {@code messages}: a bounded set).
     */
    public void compressed(String surface, String outcome, String model, long savedTokens, BigDecimal savedUsd,
            long nanos) {
        latencies.computeIfAbsent(surface + '|' + outcome, k -> Timer.builder("linguagate.compression")
                .description("Compression latency (planning, cache, inference, rewrite), by API and outcome")
                .tag("surface", surface)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (savedTokens > 0) {
            Counter[] saved = savings.computeIfAbsent(surface + '|' + model, k -> new Counter[] {
                Counter.builder("linguagate.compression.saved.tokens")
                        .description("Prompt tokens saved, by API and target model")
                        .tag("surface", surface).tag("model", model).register(registry),
                Counter.builder("linguagate.compression.saved.usd").baseUnit("usd")
                        .description("Input-token dollars saved at list price, by API and target model")
                        .tag("surface", surface).tag("model", model).register(registry)});
            saved[0].increment(savedTokens);
            saved[1].increment(savedUsd.doubleValue());
        }
    }

    /**
     * A compression that timed out: {@code cached} (it went on and filled the cache), {@code stopped} (stopped at its
     * next batch: no room behind, or past the budget), counted as {@code linguagate.compression.behind}.
     */
    public void behind(String outcome) {
        Counter.builder("linguagate.compression.behind").description("Timed-out compressions, by what became of them")
                .tag("outcome", outcome).register(registry).increment();
    }
}
