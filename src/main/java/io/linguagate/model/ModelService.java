package io.linguagate.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import io.linguagate.lingua.BatchObserver;
import io.linguagate.observability.ModelMetrics;
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
 * shutdown. By default this happens in the background, so the HTTP port is open (and a plain proxy) meanwhile; the
 * current stage is what readiness reports. A model that cannot be used stops the process with one message naming
 * the problem, unless {@code linguagate.model.required=false}: then the gateway stays in passthrough mode and
 * readiness says why. A shutdown during the load interrupts it.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    private final ModelConfig config;
    private final ModelProvisioner provisioner;
    private volatile ClassifierModel model;
    private volatile String name = "none";
    private volatile String problem;
    private volatile String stage = "not started";
    private volatile boolean stopping;
    private volatile Thread loader;

    private final BatchObserver batches;

    ModelService(ModelConfig config, ObjectMapper json, ModelMetrics batches) {
        this.config = config;
        this.batches = batches;
        this.provisioner = new ModelProvisioner(config, json);
    }

    /** After the configuration checks (default priority): a bad upstream URL should not wait for a download. */
    void start(@Observes @Priority(3000) StartupEvent event) {
        if (!provisioner.configured()) {
            LOG.info("No compression model (linguagate.model.id=none, no linguagate.model.path): requests are "
                    + "forwarded uncompressed");
            return;
        }
        name = provisioner.displayName();
        if (config.prefetchOnly() || !config.backgroundLoad()) {
            load();
            return;
        }
        loader = Thread.ofPlatform().name("linguagate-model-loader").daemon().start(() -> {
            try {
                load();
            } catch (ConfigurationException e) {
                if (!stopping) {
                    LOG.errorf("%s. Stopping: the model is required (linguagate.model.required=true).", e.getMessage());
                    Quarkus.asyncExit(1);
                }
            }
        });
        LOG.infof("Loading compression model %s in the background; requests are forwarded uncompressed until it "
                + "is ready (see /q/health/ready)", name);
    }

    private void load() {
        long start = System.nanoTime();
        try {
            ModelDirectory files = provisioner.provision(s -> stage = s);
            if (config.prefetchOnly()) {
                LOG.infof("Model %s is in the cache at %s; exiting (linguagate.model.prefetch-only)", name,
                        files.root());
                Quarkus.asyncExit(0);
                return;
            }
            stage = "loading and warming up";
            model = ClassifierModelLoader.load(files, config, batches);
            stage = "ready";
            LOG.infof("Compression model %s (%s) loaded and warmed up in %d ms", name, files.familyName(),
                    (System.nanoTime() - start) / 1_000_000);
        } catch (ModelLoadException e) {
            if (stopping) {
                return; // interrupted by the shutdown
            }
            String message = e.getMessage() + " (" + provisioner.settingName() + ")";
            if (config.required() || config.prefetchOnly()) {
                stage = "failed";
                throw new ConfigurationException(config.path().isPresent() || config.prefetchOnly() ? message
                        : message + ". Other ways to start: LINGUAGATE_MODEL_ID=none (a plain proxy, no compression),"
                                + " LINGUAGATE_MODEL_PATH=/path/to/a/local/model, LINGUAGATE_MODEL_REQUIRED=false "
                                + "(start without compression until the model is reachable), or fetch it on a "
                                + "connected machine (scripts/prefetch-model.sh) and copy the cache "
                                + "(LINGUAGATE_MODEL_CACHE_DIR)");
            }
            problem = message;
            LOG.errorf("%s. Starting without compression (linguagate.model.required=false): requests are forwarded "
                    + "uncompressed", message);
        }
    }

    /** What the model is doing now (fetching, converting, loading, ready, failed), for readiness. */
    public String stage() {
        return stage;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread running = loader;
        if (running != null && running.isAlive()) {
            // A fetch or conversion in progress: interrupt it, and give it a moment to remove its temporary files.
            running.interrupt();
            try {
                running.join(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
