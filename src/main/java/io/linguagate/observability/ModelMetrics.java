package io.linguagate.observability;

import io.linguagate.lingua.BatchObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The model's batches in Prometheus: how long work waited for its first model call, and per call its chunks, the
 * requests sharing it (above 1: cross-request batching at work) and its duration.
 */
@ApplicationScoped
public class ModelMetrics implements BatchObserver {

    private final Timer waits;
    private final Timer calls;
    private final DistributionSummary chunks;
    private final DistributionSummary jobs;

    ModelMetrics(MeterRegistry registry) {
        waits = Timer.builder("linguagate.compression.queue.wait")
                .description("Time compression work waited for its first model call").register(registry);
        calls = Timer.builder("linguagate.model.inference")
                .description("Duration of one model call (one batch)").register(registry);
        chunks = DistributionSummary.builder("linguagate.model.batch.chunks")
                .description("Chunks in one model call").register(registry);
        jobs = DistributionSummary.builder("linguagate.model.batch.jobs")
                .description("Compression jobs (requests) sharing one model call").register(registry);
    }

    @Override
    public void waited(long nanos) {
        waits.record(Duration.ofNanos(nanos));
    }

    @Override
    public void ran(int chunkCount, int jobCount, long tokens, long nanos) {
        calls.record(Duration.ofNanos(nanos));
        chunks.record(chunkCount);
        jobs.record(jobCount);
    }
}
