package io.linguagate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own Prometheus metrics. Tags are bounded: route names, status codes and outcome words only;
 * never paths with ids, model names from clients, or anything a client could use to grow the series.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger circuitState = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("linguagate.upstream.circuit.state", circuitState);
        registry.gauge("linguagate.requests.in.flight", inFlight);
    }

    /** One finished client request: route ({@code chat_completions}, {@code passthrough}, ...) and final status. */
    public void request(String route, int status, long nanos) {
        Timer.builder("linguagate.requests")
                .description("Client requests by route and status, latency until the response ended")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** One upstream attempt until its response headers (or failure): outcome is a status code or an error word. */
    public void upstreamAttempt(String outcome, long nanos) {
        Timer.builder("linguagate.upstream.latency")
                .description("Upstream attempts until response headers, by outcome")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    public void retry(String reason) {
        Counter.builder("linguagate.upstream.retries").description("Upstream calls retried, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public void rejected(String reason) {
        Counter.builder("linguagate.requests.rejected")
                .description("Requests answered by the gateway itself without reaching the upstream, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** 0 closed, 1 open, 2 half-open. */
    public void circuitState(CircuitBreakerState state) {
        circuitState.set(switch (state) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        });
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }
}
