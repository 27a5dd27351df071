package io.linguagate.gateway;

import io.linguagate.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while every request permit is held and none has been given back for
 * {@code linguagate.capacity-stuck-after}: a gateway in
 * that state refuses all traffic, and an orchestrator should route around it (and tell the operator) rather than
 * keep sending requests that get 503. A full bulkhead that keeps finishing exchanges is busy, not stuck.
 */
@Readiness
@ApplicationScoped
public class CapacityReadiness implements HealthCheck {

    private final Admission admission;
    private final long stuckNanos;
    private long lastFinished = -1;
    private long lastProgressNanos = System.nanoTime();

    CapacityReadiness(Admission admission, GatewayConfig config) {
        this.admission = admission;
        this.stuckNanos = config.capacityStuckAfter().toNanos();
    }

    @Override
    public synchronized HealthCheckResponse call() {
        long now = System.nanoTime();
        long finished = admission.finished();
        int inFlight = admission.inFlight();
        if (finished != lastFinished || inFlight < admission.limit()) {
            lastFinished = finished;
            lastProgressNanos = now;
        }
        boolean stuck = now - lastProgressNanos > stuckNanos;
        return HealthCheckResponse.named("request-capacity").status(!stuck)
                .withData("in-flight", inFlight)
                .withData("limit", admission.limit())
                .withData("seconds-without-progress", (now - lastProgressNanos) / 1_000_000_000L)
                .build();
    }
}
