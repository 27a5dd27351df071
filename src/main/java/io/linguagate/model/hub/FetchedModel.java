package io.linguagate.model.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model repository's files, complete in the local cache.
 *
 * @param directory   the model's cache directory ({@link HubSource#modelDir()}); holds {@code config.json},
 *                    {@code tokenizer.json} and the weights at their repository paths
 * @param weights     which kind of weights the repository had
 * @param weightsFile the weights: {@code onnx/model.onnx} or {@code model.onnx} (any external data file sits next
 *                    to it as {@code model.onnx_data}), or {@code model.safetensors}
 * @param files       every file fetched, relative to {@code directory} with {@code '/'} separators
 * @param commit      the commit the files were taken from, when the hub named one ({@code X-Repo-Commit})
 * @param fromCache   {@code true} when a complete earlier fetch was used and the network was not touched
 */
public record FetchedModel(Path directory, Weights weights, Path weightsFile, List<String> files,
        Optional<String> commit, boolean fromCache) {

    /** The kind of weights a repository provides. */
    public enum Weights {
        /** An ONNX graph the gateway can run directly. */
        ONNX,
        /** A safetensors checkpoint that needs converting to ONNX first. */
        SAFETENSORS
    }

    public FetchedModel {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(weightsFile, "weightsFile");
        files = List.copyOf(files);
        commit = commit == null ? Optional.empty() : commit;
    }

    /** {@code config.json}. */
    public Path config() {
        return directory.resolve(ModelFetcher.CONFIG);
    }

    /** {@code tokenizer.json}. */
    public Path tokenizer() {
        return directory.resolve(ModelFetcher.TOKENIZER);
    }
}
