package io.linguagate.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Owns the classifier for the application's lifetime: provisions it at start (a local directory, or the hub model
 * fetched and converted into the cache), loads and warms it up, hands it to request handlers, closes it at
 * shutdown. A model that cannot be used stops the start with one message naming the problem, unless
 * {@code linguagate.model.required=false}: then the gateway runs in passthrough mode and readiness says why.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final ModelConfig config;
    private final ModelProvisioner provisioner;
    private volatile ClassifierModel model;
    private volatile String name = "none";
    private volatile String problem;

    ModelService(ModelConfig config, ObjectMapper json) {
        this.config = config;
        this.provisioner = new ModelProvisioner(config, json);
    }

    /** After the configuration checks (default priority): a bad upstream URL should not wait for a download. */
    void start(@Observes @Priority(3000) StartupEvent event) {
        if (!provisioner.configured()) {
            LOG.info("No compression model (linguagate.model.id=none, no linguagate.model.path): requests are "
                    + "forwarded uncompressed");
            return;
        }
        long start = System.nanoTime();
        try {
            ModelDirectory files = provisioner.provision();
            name = provisioner.displayName();
            if (config.prefetchOnly()) {
                LOG.infof("Model %s is in the cache at %s; exiting (linguagate.model.prefetch-only)", name,
                        files.root());
                Quarkus.asyncExit(0);
                return;
            }
            model = ClassifierModelLoader.load(files, config);
            LOG.infof("Compression model %s (%s) loaded and warmed up in %d ms", name, files.familyName(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (ModelLoadException e) {
            String message = e.getMessage() + " (" + provisioner.settingName() + ")";
            if (config.required() || config.prefetchOnly()) {
                throw new ConfigurationException(message);
            }
            problem = message;
            LOG.errorf("%s. Starting without compression (linguagate.model.required=false): requests are forwarded "
                    + "uncompressed", message);
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
        return provisioner.configured();
    }

    /** Why the configured model is not in use ({@code linguagate.model.required=false}), if it failed. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The model's name for headers: the hub id or the local directory's name, or {@code none}. */
    public String name() {
        return name;
    }

    /** The model, once loaded and warmed up. */
    public Optional<ClassifierModel> ready() {
        return Optional.ofNullable(model);
    }
}
