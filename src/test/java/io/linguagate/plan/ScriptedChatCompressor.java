package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.model.ModelService;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The real compressor, or a stuck or broken one, as a test chooses: proves fail-open on timeout and on error.
 * Enabled only by the test profile that names it (a singleton: the real bean's constructor needs arguments).
 */
@Alternative
@Singleton
public class ScriptedChatCompressor extends ChatCompressor {

    /**
     * REAL; STUCK before anything (no count); STUCK_ON_MODEL after planning and counting, waiting for the model (the
     * real work then goes on once released); BUSY_ONCE: the model's queue answers busy once, then REAL; BROKEN.
     */
    public enum Mode { REAL, STUCK, STUCK_ON_MODEL, BUSY_ONCE, BROKEN }

    public static volatile Mode mode = Mode.REAL;
    /** Compression work that reached the model's queue. */
    public static final java.util.concurrent.atomic.AtomicInteger modelRuns = new java.util.concurrent.atomic.AtomicInteger();
    /** Released by the test once it has seen the timed-out answer; a stuck call then ends. */
    public static volatile CountDownLatch unstick = new CountDownLatch(1);

    ScriptedChatCompressor(CompressionConfig config, ModelService models, SegmentCache cache, CountCache counts,
            InferenceQueue queue) {
        super(config, models, cache, counts, new InferenceQueue(8, null) {
            @Override
            public <T> T run(long chars, CompressionTicket ticket, java.util.function.Supplier<T> work) {
                modelRuns.incrementAndGet();
                if (mode == Mode.BUSY_ONCE) {
                    mode = Mode.REAL;
                    throw new BusyException("scripted: predicted past the deadline");
                }
                if (mode == Mode.STUCK_ON_MODEL) {
                    try {
                        unstick.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new io.linguagate.lingua.CompressionCancelledException();
                    }
                }
                return super.run(chars, CompressionTicket.unbounded(), work); // (its deadline has passed by then: run anyway)
            }
        });
    }

    @Override
    public ChatOutcome compress(RequestShape shape, JsonNode root, RequestSettings settings, String encodingName,
            TargetTokenCounter counter, CompressionTicket ticket) {
        switch (mode) {
            case STUCK -> {
                try {
                    unstick.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.compress(shape, root, settings, encodingName, counter, ticket);
            }
            case BROKEN -> throw new IllegalStateException("simulated compressor failure");
            default -> {
                return super.compress(shape, root, settings, encodingName, counter, ticket);
            }
        }
    }
}
