package io.linguagate.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.ModelConfig;
import java.nio.file.Path;

/**
 * Decides where the model comes from and makes its files available: a local directory
 * ({@code linguagate.model.path}) as it is, or a hub model ({@code linguagate.model.id}) fetched into the cache and,
 * when the repository has safetensors weights only, converted to ONNX once.
 */
final class ModelProvisioner {

    static final String NONE = "none";

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

    /** The model's files, ready to load. */
    ModelDirectory provision() {
        if (config.path().isPresent()) {
            return ModelDirectory.read(config.path().get(), json);
        }
        throw new ModelLoadException("Fetching " + hubId() + " from the hub is not available in this build");
    }

    private String hubId() {
        String id = config.id().trim();
        return id.equalsIgnoreCase(NONE) ? "" : id;
    }

    private static String directoryName(Path path) {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }
}
