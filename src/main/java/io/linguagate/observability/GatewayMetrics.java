package io.linguagate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own Prometheus metrics. Tags are bounded: route names, status codes and outcome words only;
 * never paths with ids, model names from clients, or anything a client could use to grow the series.
 */
@ApplicationScoped
public class GatewayMetrics {

    /** The OpenAI-compatible upstream's meters are named {@code linguagate.upstream.*}, as they always were. */
    private static final String DEFAULT_UPSTREAM = "linguagate.upstream";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Strong references: the registry holds a gauge's state object only weakly. */
    private final Map<String, UpstreamMeters> upstreams = new ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        upstream(DEFAULT_UPSTREAM); // its circuit gauge is there from the start
        registry.gauge("linguagate.requests.in.flight", inFlight);
    }

    /**
     * The meters of one upstream, named {@code PREFIX.latency}, {@code PREFIX.retries} and
     * {@code PREFIX.circuit.state}: each upstream has series of its own (and a circuit breaker of its own), with the
     * same tags, so a dashboard for one reads the other.
     */
    public UpstreamMeters upstream(String prefix) {
        return upstreams.computeIfAbsent(prefix, p -> new UpstreamMeters(registry, p));
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

    public void rejected(String reason) {
        Counter.builder("linguagate.requests.rejected")
                .description("Requests answered by the gateway itself without reaching the upstream, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** The meters of one upstream (see {@link #upstream(String)}). */
    public static final class UpstreamMeters {
        private final MeterRegistry registry;
        private final String prefix;
        private final AtomicInteger circuitState = new AtomicInteger();

        private UpstreamMeters(MeterRegistry registry, String prefix) {
            this.registry = registry;
            this.prefix = prefix;
            registry.gauge(prefix + ".circuit.state", circuitState);
        }

        /** One upstream attempt until its response headers (or failure): outcome is a status code or an error word. */
        public void attempt(String outcome, long nanos) {
            Timer.builder(prefix + ".latency")
                    .description("Upstream attempts until response headers, by outcome")
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(Duration.ofNanos(nanos));
        }

        public void retry(String reason) {
            Counter.builder(prefix + ".retries").description("Upstream calls retried, by reason")
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
    }
}
