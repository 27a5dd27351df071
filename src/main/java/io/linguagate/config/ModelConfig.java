package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** The LLMLingua-2 classifier and how ONNX Runtime runs it (prefix {@code linguagate.model}). */
@ConfigMapping(prefix = "linguagate.model")
public interface ModelConfig {

    /**
     * Local model directory holding {@code config.json}, {@code tokenizer.json} and {@code model.onnx} (or
     * {@code onnx/model.onnx}). Unset: no compression model; requests are forwarded uncompressed.
     */
    Optional<Path> path();

    /** Where inference runs: {@code auto} (CUDA when usable, else CPU), {@code cuda} (required) or {@code cpu}. */
    @WithDefault("auto")
    Device device();

    /** CUDA device ordinal used when inference runs on the GPU. */
    @WithDefault("0")
    int cudaDeviceId();

    /** Threads one inference may use on CPU; default: the number of available processors. */
    OptionalInt intraOpThreads();

    /** Inferences run at once; more than one only helps when each uses few threads or on a GPU. */
    @WithDefault("1")
    int concurrentInferences();

    /**
     * Chunks (≤ 512 tokens each) sent to the model in one batch; bounds inference memory. Default: 50 on CUDA (the
     * reference's), 8 on CPU (larger CPU batches are not faster and need more memory).
     */
    OptionalInt maxBatchSize();

    /** ONNX Runtime graph optimisation level. */
    @WithDefault("all")
    Optimization optimization();

    enum Device {
        AUTO, CUDA, CPU
    }

    enum Optimization {
        NONE, BASIC, EXTENDED, ALL
    }
}
