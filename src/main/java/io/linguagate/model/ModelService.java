package io.linguagate.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Owns the classifier for the application's lifetime: loads and warms it up at start (a broken model stops the
 * start with a message naming the file), hands it to request handlers, closes it at shutdown.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final ModelConfig config;
    private final ObjectMapper json;
    private volatile ClassifierModel model;

    ModelService(ModelConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (config.path().isEmpty()) {
            LOG.info("No compression model configured (linguagate.model.path): requests are forwarded uncompressed");
            return;
        }
        long start = System.nanoTime();
        try {
            ModelDirectory files = ModelDirectory.read(config.path().get(), json);
            model = ClassifierModelLoader.load(files, config);
            LOG.infof("Compression model %s (%s) loaded and warmed up in %d ms", files.root(),
                    files.familyName(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (ModelLoadException e) {
            throw new ConfigurationException(e.getMessage() + " (linguagate.model.path, env LINGUAGATE_MODEL_PATH)");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ClassifierModel loaded = model;
        model = null;
        if (loaded != null) {
            loaded.close();
        }
    }

    /** Whether a model is configured at all. */
    public boolean configured() {
        return config.path().isPresent();
    }

    /** The model's name for headers: its directory's name, or {@code none}. */
    public String name() {
        return config.path().map(p -> p.getFileName() == null ? p.toString() : p.getFileName().toString())
                .orElse("none");
    }

    /** The model, once loaded and warmed up. */
    public Optional<ClassifierModel> ready() {
        return Optional.ofNullable(model);
    }
}
