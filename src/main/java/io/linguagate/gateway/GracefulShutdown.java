package io.linguagate.gateway;

import io.linguagate.config.GatewayConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * SIGTERM: stop admitting (new requests get 503 {@code gateway_shutting_down}), let in-flight requests and streams
 * finish for up to {@code linguagate.shutdown-grace}, then end the rest so every client learns its answer is
 * incomplete: streams get an SSE {@code event: error} before the cut, requests still waiting get a 503. Runs in
 * Quarkus's pre-shutdown phase ({@code quarkus.shutdown.delay-enabled}), while the HTTP server still serves.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    /** After the cut, time for the final events and 503s to be flushed before the server closes. */
    private static final long FLUSH_MILLIS = 2_000;

    private final Admission admission;
    private final ErrorResponder errors;
    private final long graceMillis;

    GracefulShutdown(Admission admission, ErrorResponder errors, GatewayConfig config) {
        this.admission = admission;
        this.errors = errors;
        this.graceMillis = config.shutdownGrace().toMillis();
    }

    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        admission.drain();
        int open = admission.open().size();
        if (open == 0) {
            return;
        }
        LOG.infof("Shutting down: waiting up to %d s for %d in-flight request(s) to finish "
                + "(linguagate.shutdown-grace)", graceMillis / 1000, open);
        if (awaitNoneOpen(graceMillis)) {
            LOG.infof("Shutting down: all %d in-flight request(s) finished", open);
            return;
        }
        Set<ClientExchange> left = admission.open();
        OpenAiError error = new OpenAiError(503, "api_error", "gateway_shutting_down", null,
                "The gateway shut down before this answer was complete. Retry the request.");
        left.forEach(exchange -> exchange.endForShutdown(error, errors));
        awaitNoneOpen(FLUSH_MILLIS);
        LOG.warnf("Shutting down: %d of %d in-flight request(s) were still running after %d s and were ended "
                + "(streams with an error event, waiting requests with 503); raise linguagate.shutdown-grace (and "
                + "the orchestrator's termination grace) if answers take longer", left.size(), open,
                graceMillis / 1000);
    }

    private boolean awaitNoneOpen(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!admission.open().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
