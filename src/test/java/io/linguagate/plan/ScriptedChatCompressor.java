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

    public enum Mode { REAL, STUCK, BROKEN }

    public static volatile Mode mode = Mode.REAL;
    /** Released by the test once it has seen the timed-out answer; a stuck call then ends. */
    public static volatile CountDownLatch unstick = new CountDownLatch(1);

    ScriptedChatCompressor(CompressionConfig config, ModelService models, SegmentCache cache, CountCache counts) {
        super(config, models, cache, counts);
    }

    @Override
    public ChatOutcome compress(RequestShape shape, JsonNode root, RequestSettings settings, String encodingName,
            TargetTokenCounter counter) {
        switch (mode) {
            case STUCK -> {
                try {
                    unstick.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.compress(shape, root, settings, encodingName, counter);
            }
            case BROKEN -> throw new IllegalStateException("simulated compressor failure");
            default -> {
                return super.compress(shape, root, settings, encodingName, counter);
            }
        }
    }
}
