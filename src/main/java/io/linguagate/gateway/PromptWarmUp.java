package io.linguagate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.linguagate.config.CompressionConfig;
import io.linguagate.model.ModelService;
import io.linguagate.plan.ChatCompressor;
import io.linguagate.plan.ChatOutcome;
import io.linguagate.plan.CompressionTicket;
import io.linguagate.plan.RequestSettings;
import io.linguagate.savings.TargetEncodings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.MultiMap;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code linguagate.compression.warm-prompts}: compresses the listed request bodies into the segment cache once the
 * model is ready, in the background and one at a time (requests arriving meanwhile share the model with it), so
 * the first real request with one of these system prompts is a cache hit instead of going upstream uncompressed.
 * The file is read and checked at start; a bad one stops the gateway.
 */
@ApplicationScoped
public class PromptWarmUp {

    private static final Logger LOG = Logger.getLogger(PromptWarmUp.class);
    /** Warm-up has no client waiting: its deadline only bounds a stuck model. */
    private static final long DEADLINE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final CompressionConfig config;
    private final ChatCompressor compressor;
    private final ModelService models;
    private final TargetEncodings encodings;
    private final ObjectMapper json;
    private final Counter warmed;
    private volatile Thread worker;

    PromptWarmUp(CompressionConfig config, ChatCompressor compressor, ModelService models, TargetEncodings encodings,
            ObjectMapper json, MeterRegistry registry) {
        this.config = config;
        this.compressor = compressor;
        this.models = models;
        this.encodings = encodings;
        this.json = json;
        this.warmed = Counter.builder("linguagate.compression.warm.prompts")
                .description("Warm-up prompts compressed into the segment cache").register(registry);
    }

    /** With the configuration checks, before the model starts loading: a bad file stops the gateway first. */
    void start(@Observes @Priority(2600) StartupEvent event) {
        if (config.warmPrompts().isEmpty()) {
            return;
        }
        WarmPrompts prompts;
        try {
            prompts = WarmPrompts.read(config.warmPrompts().get(), json);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("linguagate.compression.warm-prompts (env "
                    + "LINGUAGATE_COMPRESSION_WARM_PROMPTS): " + e.getMessage());
        }
        if (!config.enabled() || !models.configured()) {
            LOG.infof("linguagate.compression.warm-prompts ignored: compression is %s",
                    config.enabled() ? "without a model" : "switched off");
            return;
        }
        worker = Thread.ofPlatform().name("linguagate-warm-prompts").daemon().start(() -> run(prompts));
    }

    void stop(@Observes ShutdownEvent event) {
        Thread running = worker;
        if (running != null) {
            running.interrupt();
        }
    }

    private void run(WarmPrompts prompts) {
        try {
            while (models.ready().isEmpty()) {
                if (models.problem().isPresent() || "failed".equals(models.stage())) {
                    return; // the model's own log line says why; nothing to warm
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            return; // shutting down
        }
        long start = System.nanoTime();
        Map<String, Integer> statuses = new TreeMap<>();
        for (WarmPrompts.Entry entry : prompts.entries()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            String status;
            try {
                ObjectNode body = entry.body().deepCopy();
                JsonNode field = body.remove(RequestSettings.BODY_FIELD);
                RequestSettings settings = RequestSettings.of(config, MultiMap.caseInsensitiveMultiMap(), field);
                Encoding encoding = encodings.forModel(body.path("model").asText());
                ChatOutcome outcome = compressor.compress(entry.shape(), body, settings, encoding.getName(),
                        TargetEncodings.counter(encoding), new CompressionTicket(System.nanoTime() + DEADLINE_NANOS));
                status = outcome.status();
                warmed.increment();
            } catch (RuntimeException e) {
                status = "failed";
                LOG.warnf("Warm-up prompt on line %d of %s not compressed: %s", entry.line(),
                        config.warmPrompts().get(), e.toString());
            }
            statuses.merge(status, 1, Integer::sum);
        }
        LOG.infof("Warm-up: %d prompts from %s compressed into the segment cache in %d ms %s",
                prompts.entries().size(), config.warmPrompts().get(), (System.nanoTime() - start) / 1_000_000,
                statuses);
    }
}
