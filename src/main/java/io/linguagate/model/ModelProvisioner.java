package io.linguagate.model;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import io.linguagate.model.convert.CheckpointConverter;
import io.linguagate.model.convert.ConversionOptions;
import io.linguagate.model.hub.FetchedModel;
import io.linguagate.model.hub.HubSource;
import io.linguagate.model.hub.ModelFetcher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Decides where the model comes from and makes its files available: a local directory
 * ({@code linguagate.model.path}) as it is, or a hub model ({@code linguagate.model.id}) fetched into the cache and,
 * when the repository has safetensors weights only, converted to ONNX once. A complete cache is used without the
 * network and without writing, so a second start with the hub unreachable, or a read-only baked cache, works.
 */
final class ModelProvisioner {

    private static final Logger LOG = Logger.getLogger(ModelProvisioner.class);
    static final String NONE = "none";
    /** Converted graphs live beside the fetched files, one directory per source commit and options. */
    static final String CONVERTED = "converted";

    private final ModelConfig config;
    private final ObjectMapper json;

    ModelProvisioner(ModelConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    boolean configured() {
        return config.path().isPresent() || !hubId().isEmpty();
    }

    /** The model as headers and logs name it. */
    String displayName() {
        return config.path().map(ModelProvisioner::directoryName).orElseGet(this::hubId);
    }

    /** The setting an operator changes to fix a model problem. */
    String settingName() {
        return config.path().isPresent() ? "linguagate.model.path, env LINGUAGATE_MODEL_PATH"
                : "linguagate.model.id=" + hubId() + ", env LINGUAGATE_MODEL_ID";
    }

    /** The model's files, ready to load; {@code stage} hears what is being done (for readiness). */
    ModelDirectory provision(Consumer<String> stage) {
        if (config.path().isPresent()) {
            stage.accept("reading " + config.path().get());
            return ModelDirectory.read(config.path().get(), json);
        }
        stage.accept("fetching " + hubId() + " from " + config.hubUrl() + " (or finding it in the cache)");
        FetchedModel fetched = new ModelFetcher().fetch(source());
        if (fetched.weights() == FetchedModel.Weights.ONNX) {
            return ModelDirectory.read(fetched.directory(), json);
        }
        ConversionOptions options = conversionOptions();
        Path onnx = fetched.directory().resolve(CONVERTED)
                .resolve(fetched.commit().orElse("unversioned") + "-" + options.describe().replaceAll("[^a-z0-9]+", "-"))
                .resolve(ModelDirectory.ONNX);
        if (Files.isRegularFile(onnx)) {
            LOG.debugf("Using %s converted earlier", onnx);
        } else {
            LOG.infof("Converting %s (%s) to ONNX, %s, once; later starts use %s", hubId(), fetched.weightsFile(),
                    options.describe(), onnx);
            stage.accept("converting " + fetched.weightsFile() + " to ONNX (" + options.describe() + ")");
            CheckpointConverter.Result result = CheckpointConverter.convert(fetched.directory(), onnx, options);
            LOG.infof("Converted in %d ms (%.1f MB)", result.elapsed().toMillis(),
                    (result.onnxBytes() + result.externalDataBytes()) / (1024.0 * 1024.0));
        }
        return ModelDirectory.read(fetched.directory(), onnx, json);
    }

    private HubSource source() {
        try {
            return new HubSource(URI.create(config.hubUrl().trim()), hubId(), config.revision().trim(),
                    config.token().filter(t -> !t.isBlank()).or(HubSource::environmentToken),
                    config.cacheDir().orElseGet(HubSource::defaultCacheDir), null, null);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("Invalid model source: " + e.getMessage()
                    + " (linguagate.model.id / revision / hub-url)");
        }
    }

    /**
     * fp16 and fused attention where inference will run on CUDA; fp32 and plain ops on CPU; int8 only when asked for
     * (auto keeps fp32 on CPU: int8 missed the 98 % word-label agreement bar on the benchmark encoder).
     */
    private ConversionOptions conversionOptions() {
        ConversionOptions defaults = ConversionOptions.defaults();
        return switch (config.precision()) {
            case FP16 -> defaults.withPrecision(ConversionOptions.Precision.FP16).withFused(true);
            case FP32 -> defaults;
            case INT8 -> {
                if (config.device() != ModelConfig.Device.CPU && cudaUsable()) {
                    LOG.warn("linguagate.model.precision=int8 with CUDA: the int8 kernels are ONNX Runtime CPU "
                            + "kernels, so those layers run on the CPU; use precision=auto (fp16) on a GPU");
                }
                yield defaults.withPrecision(ConversionOptions.Precision.INT8);
            }
            case AUTO -> cudaUsable() ? defaults.withPrecision(ConversionOptions.Precision.FP16).withFused(true)
                    : defaults;
        };
    }

    private boolean cudaUsable() {
        if (config.device() == ModelConfig.Device.CPU) {
            return false;
        }
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            return ExecutionProvider.choose(ModelConfig.Device.AUTO, config.cudaDeviceId(), probe).cuda();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String hubId() {
        String id = config.id().trim();
        return id.equalsIgnoreCase(NONE) ? "" : id;
    }

    private static String directoryName(Path path) {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }
}
