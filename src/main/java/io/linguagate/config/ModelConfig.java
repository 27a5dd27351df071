package io.linguagate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The LLMLingua-2 classifier and how ONNX Runtime runs it (prefix {@code linguagate.model}). */
@ConfigMapping(prefix = "linguagate.model")
public interface ModelConfig {

    /**
     * Local model directory holding {@code config.json}, {@code tokenizer.json} and {@code model.onnx} (or
     * {@code onnx/model.onnx}); when set it wins over {@code id}.
     */
    Optional<Path> path();

    /**
     * Hub model id fetched (and converted to ONNX) on first start, then served from the cache; {@code none} for no
     * compression model (requests are forwarded uncompressed).
     */
    @WithDefault("microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank")
    String id();

    /** Hub revision: a branch, tag or commit. */
    @WithDefault("main")
    String revision();

    /** Hub base URL; files are fetched from {@code {hub-url}/{id}/resolve/{revision}/{file}}. */
    @WithDefault("https://huggingface.co")
    String hubUrl();

    /** Token for private or gated repositories (default: the {@code HF_TOKEN} environment variable). */
    Optional<String> token();

    /** Where fetched and converted models are kept (default: {@code $XDG_CACHE_HOME/linguagate/models} or
     * {@code ~/.cache/linguagate/models}); put it on a volume in containers. */
    Optional<Path> cacheDir();

    /**
     * Weights precision of a converted checkpoint: {@code auto} (fp16 with fused attention on CUDA, fp32 on CPU),
     * {@code fp32}, {@code fp16}, or {@code int8} (for CPUs: encoder Linear weights int8 per output channel,
     * activations quantized per token at run time, word embeddings fp16; about a third of the fp32 file). {@code auto}
     * does not pick int8 on CPU: on the benchmark encoder int8 agrees with fp32 on 97.3 to 98.2 % of the keep/drop
     * word labels, below the 98 % required for a silent default (README, "Compression engine"). Models given by
     * {@code path} are loaded as they are, whatever this says (int8 exports included).
     */
    @WithDefault("auto")
    Precision precision();

    /** Without a usable model: {@code true} stops the start; {@code false} starts in passthrough mode. */
    @WithDefault("true")
    boolean required();

    /**
     * Load the model in the background: the HTTP port opens at once (liveness up, readiness down with the loading
     * stage), chat requests are forwarded uncompressed ({@code skipped:model-loading}) and {@code /v1/compress}
     * answers 503 until the model is ready. {@code false}: the start waits for the model.
     */
    @WithDefault("true")
    boolean backgroundLoad();

    /** Fetch and convert the model into the cache, then exit (for baking images). */
    @WithDefault("false")
    boolean prefetchOnly();

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

    /**
     * How chunks share one inference: {@code auto} (equal lengths only on CPU, where padding is wasted work;
     * padded batches on CUDA), {@code padded}, {@code equal-length}.
     */
    @WithDefault("auto")
    BatchShape batchShape();

    /**
     * How long a request's first model call, when it would not fill a batch, waits for chunks of other requests to
     * share it (cross-request batching). Small against an inference; 0 batches only what is already waiting.
     */
    @WithDefault("2ms")
    Duration batchWindow();

    /** ONNX Runtime graph optimisation level. */
    @WithDefault("all")
    Optimization optimization();

    enum Device {
        AUTO, CUDA, CPU
    }

    enum Precision {
        AUTO, FP32, FP16, INT8
    }

    enum BatchShape {
        AUTO, PADDED, EQUAL_LENGTH
    }

    enum Optimization {
        NONE, BASIC, EXTENDED, ALL
    }
}
