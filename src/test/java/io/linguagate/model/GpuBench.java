package io.linguagate.model;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.linguagate.bench.ConversionBench;
import io.linguagate.config.ModelConfig;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.model.convert.CheckpointConverter;
import io.linguagate.model.convert.ConversionOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * GPU readiness benchmark (not a test): the classifier on ONNX Runtime's CUDA execution provider at batch sizes
 * 1..64 of full 512-token chunks, against the CPU provider at batch 1 and 8 in the same run. Run by
 * {@code bench/gpu-bench.sh}; see bench/README.md ("GPU inference").
 *
 * <p>It builds its own model: a random-weight checkpoint of LLMLingua-2's BERT-base shape (or BGE-small's) written
 * as safetensors and converted by the gateway's own {@link CheckpointConverter}, to fp16 + fused contrib ops as the
 * gateway converts for CUDA, and to fp32 with standard ops as it converts for CPU. Inference goes through
 * {@link OnnxClassifier} (tensor building, session run, logits read, softmax), i.e. what one gateway batch costs.
 *
 * <p>It never measures the CPU in place of CUDA. Before anything is built it checks, in order, and stops with its
 * own exit code at the first failure:
 * <ol>
 * <li>{@value #EXIT_NO_CUDA_PROVIDER}: the ONNX Runtime build on the classpath has no CUDA provider (the CPU jar);</li>
 * <li>{@value #EXIT_CUDA_PROVIDER_LOAD}: {@code SessionOptions.addCUDA} fails, the same call and test as the
 * gateway's {@link ExecutionProvider}: the provider library or its CUDA 12 libraries cannot be loaded;</li>
 * <li>{@value #EXIT_CUDA_SESSION}: no session can be created or run on the device (no GPU visible, driver too old,
 * cuDNN missing, out of memory);</li>
 * <li>{@value #EXIT_CPU_FALLBACK}: a session was created, but ONNX Runtime's profile of a real run shows the work
 * on the CPU provider (no node on CUDA, or a compute node or large tensor on CPU).</li>
 * </ol>
 * The placement check runs again on the benchmark model itself before it is timed.
 *
 * <p>Usage: {@code GpuBench [--work DIR] [--size bert-base|bge-small] [--device N] [--batches "1 2 4"]
 * [--cpu-batches "1 8"] [--threads N] [--label TEXT] [--quick] [--cpu-only] [--check]}
 */
public final class GpuBench {

    static final int EXIT_USAGE = 2;
    static final int EXIT_NO_CUDA_PROVIDER = 10;
    static final int EXIT_CUDA_PROVIDER_LOAD = 11;
    static final int EXIT_CUDA_SESSION = 12;
    static final int EXIT_CPU_FALLBACK = 13;

    /** A full chunk as the gateway sends it: 510 text tokens framed by [CLS] and [SEP]. */
    static final int SEQUENCE = Llmlingua2Compressor.MAX_CHUNK_TOKENS + 2;
    private static final SequenceIds BERT_FRAME = new SequenceIds(101, 102, 0);
    static final String CUDA_EP = "CUDAExecutionProvider";
    static final String CPU_EP = "CPUExecutionProvider";

    private static final String CUDA_NEEDS = "onnxruntime_gpu 1.29.0 is built for CUDA 12 and cuDNN 9: its "
            + "libonnxruntime_providers_cuda.so links libcudart.so.12, libcublas.so.12, libcublasLt.so.12, "
            + "libcurand.so.10 and the driver's libcuda.so.1, and loads libcudnn.so.9 when a session starts. A host "
            + "with only CUDA 13 libraries (libcudart.so.13) does not satisfy it, whatever the driver; a CUDA 13 "
            + "driver (580+) does run CUDA 12 libraries. Install the CUDA 12 runtime and cuDNN 9 for CUDA 12 (or "
            + "put them on LD_LIBRARY_PATH: bench/gpu-bench.sh --cuda-libs DIR).";

    private GpuBench() {
    }

    /** Why CUDA cannot be measured; {@code code} is the process exit status. */
    static final class CudaUnusable extends Exception {
        final int code;

        CudaUnusable(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private record Settings(Path work, ConversionBench.Size size, int device, int[] batches, int[] cpuBatches,
            int threads, String label, boolean quick, boolean cpuOnly, boolean checkOnly) {
    }

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("GpuBench: " + e.getMessage());
            System.err.println("usage: GpuBench [--work DIR] [--size bert-base|bge-small] [--device N] "
                    + "[--batches LIST] [--cpu-batches LIST] [--threads N] [--label TEXT] [--quick] [--cpu-only] "
                    + "[--check]");
            System.exit(EXIT_USAGE);
            return;
        }
        try {
            run(s);
        } catch (CudaUnusable e) {
            System.out.flush();
            System.err.printf("%nCUDA NOT USABLE (exit %d): %s%nNothing was measured: the CPU is not benchmarked in "
                    + "CUDA's place. Use --cpu-only for the CPU numbers alone.%n", e.code, e.getMessage());
            System.exit(e.code);
        }
    }

    private static Settings parse(String[] args) {
        Path work = Path.of("target", "gpu-bench");
        ConversionBench.Size size = ConversionBench.BERT_BASE;
        int device = 0;
        int[] batches = {1, 2, 4, 8, 16, 32, 64};
        int[] cpuBatches = {1, 8};
        int threads = Runtime.getRuntime().availableProcessors();
        String label = "";
        boolean quick = false;
        boolean cpuOnly = false;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--cpu-only" -> cpuOnly = true;
                case "--check" -> check = true;
                case "--work", "--size", "--device", "--batches", "--cpu-batches", "--threads", "--label" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--work" -> work = Path.of(v);
                        case "--size" -> size = ConversionBench.Size.named(v);
                        case "--device" -> device = Integer.parseInt(v);
                        case "--batches" -> batches = ints(v);
                        case "--cpu-batches" -> cpuBatches = ints(v);
                        case "--threads" -> threads = Integer.parseInt(v);
                        default -> label = v;
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (size.layers() > 12) {
            throw new IllegalArgumentException("--size " + size.name() + ": only bert-base and bge-small are sized "
                    + "for a short GPU session");
        }
        if (cpuOnly && check) {
            throw new IllegalArgumentException("--check probes CUDA; it does not go with --cpu-only");
        }
        return new Settings(work, size, device, batches, cpuBatches, threads, label, quick, cpuOnly, check);
    }

    private static int[] ints(String list) {
        int[] v = Arrays.stream(list.trim().split("[\\s,]+")).mapToInt(Integer::parseInt).toArray();
        if (v.length == 0 || Arrays.stream(v).anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("batch sizes must be positive: " + list);
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void run(Settings s) throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(s.work());
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "gpu-bench");
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        System.out.printf("ONNX Runtime %s (%s), providers in this build: %s%n", env.getVersion(), ortBuild(),
                providers);
        System.out.printf("JVM %s, %d cores; model %s (%d layers x %d, %d heads, vocab %,d, %.0fM parameters); "
                + "chunks of %d tokens%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                s.size().name(), s.size().layers(), s.size().hidden(), s.size().heads(), s.size().vocab(),
                s.size().parameters() / 1e6, SEQUENCE);
        hardware(env);

        if (!s.cpuOnly()) {
            long t0 = System.nanoTime();
            probeCuda(env, s.device(), s.work());
            System.out.printf("CUDA probe: provider added, a session ran on device %d, its MatMul on %s (%.1f s)%n",
                    s.device(), CUDA_EP, secondsSince(t0));
            if (s.checkOnly()) {
                System.out.println("RESULT: CUDA usable (--check: nothing measured)");
                return;
            }
        } else {
            System.out.println("CUDA: not probed (--cpu-only)");
        }

        long t0 = System.nanoTime();
        Models models = ensureModels(s.size(), s.work().resolve(s.size().name()), !s.cpuOnly());
        System.out.printf("models ready (%.1f s): %s%n", secondsSince(t0), models.describe());

        Runs runs = s.quick() ? Runs.QUICK : Runs.FULL;
        List<Timing> rows = new ArrayList<>();
        float[] cudaKeep = null;
        if (!s.cpuOnly()) {
            t0 = System.nanoTime();
            try (OnnxClassifier cuda = cudaSession(env, models.fp16(), s.device(), s.threads(), s.work())) {
                System.out.printf("CUDA session (fp16+fused) created and placement checked in %.1f s%n",
                        secondsSince(t0));
                cudaKeep = cuda.keepProbabilities(chunks(1)).get(0);
                System.out.println("  " + HEADER);
                for (int batch : s.batches()) {
                    Timing t = measure("CUDA", "fp16+fused", cuda, batch, runs.gpu());
                    rows.add(t);
                    System.out.println("  " + t.line(null));
                    if (t.failure() != null) {
                        break; // a larger batch fails the same way (out of memory)
                    }
                }
            }
        }
        t0 = System.nanoTime();
        List<Timing> cpuRows = new ArrayList<>();
        try (OnnxClassifier cpu = cpuSession(env, models.fp32(), s.threads(), s.work())) {
            System.out.printf("CPU session (fp32, %d intra-op threads, denormals as zero) created in %.1f s%n",
                    s.threads(), secondsSince(t0));
            if (cudaKeep != null) {
                float[] cpuKeep = cpu.keepProbabilities(chunks(1)).get(0);
                System.out.printf("keep probabilities, one chunk, CUDA fp16+fused vs CPU fp32: max |difference| "
                        + "%.5f%n", maxAbsDiff(cudaKeep, cpuKeep));
            }
            System.out.println("  " + HEADER);
            for (int batch : s.cpuBatches()) {
                Timing t = measure("CPU", "fp32", cpu, batch, runs.cpu());
                cpuRows.add(t);
                System.out.println("  " + t.line(null));
            }
        }
        rows.addAll(cpuRows);
        report(s, env, rows, cpuRows, secondsSince(started));
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Which jar: the GPU one carries the CUDA provider library. */
    private static String ortBuild() {
        ClassLoader cl = OrtEnvironment.class.getClassLoader();
        return cl.getResource("ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so") != null
                ? "onnxruntime_gpu jar" : "CPU jar, no CUDA provider library";
    }

    /** The hardware ONNX Runtime's device discovery sees (information only: a GPU here is not yet a usable one). */
    private static void hardware(OrtEnvironment env) {
        try {
            String seen = env.getEpDevices().stream()
                    .map(d -> d.getDevice().getType() + " " + d.getDevice().getVendor() + " via " + d.getEpName())
                    .distinct().collect(Collectors.joining(", "));
            System.out.println("ONNX Runtime device discovery: " + (seen.isEmpty() ? "nothing" : seen));
        } catch (OrtException | RuntimeException | LinkageError e) {
            System.out.println("ONNX Runtime device discovery: unavailable (" + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // CUDA checks

    /** Steps 1-4 of the class comment on a one-MatMul model, before any time goes into building the real one. */
    static void probeCuda(OrtEnvironment env, int device, Path work) throws CudaUnusable {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            throw new CudaUnusable(EXIT_NO_CUDA_PROVIDER, "the ONNX Runtime " + env.getVersion() + " on the "
                    + "classpath is the CPU build (" + ortBuild() + "; providers " + OrtEnvironment
                    .getAvailableProviders() + "). The GPU benchmark needs com.microsoft.onnxruntime:onnxruntime_gpu "
                    + "(Maven profile -Pgpu, which bench/gpu-bench.sh uses unless --cpu-only or --jar cpu).");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            addCuda(options, device);
            options.enableProfiling(work.resolve("probe-profile").toAbsolutePath().toString());
            byte[] model = matMulModel(64);
            try (OrtSession session = createOnCuda(env, model, options, device)) {
                float[] x = new float[4 * 64];
                Arrays.fill(x, 0.5f);
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {4, 64});
                        OrtSession.Result result = session.run(Map.of("x", input))) {
                    float[][] y = (float[][]) result.get(0).getValue();
                    if (y.length != 4 || y[0].length != 64) {
                        throw new CudaUnusable(EXIT_CUDA_SESSION, "the probe returned a wrong shape");
                    }
                }
                Placement placement = Placement.read(Path.of(session.endProfiling()));
                placement.requireCuda("the one-MatMul probe model");
            }
        } catch (OrtException e) {
            throw new CudaUnusable(EXIT_CUDA_SESSION, "a session with the CUDA provider on device " + device
                    + " could not run: " + e.getMessage() + ". " + sessionHints());
        }
    }

    /** The gateway's own choice ({@link ExecutionProvider}, device {@code cuda} = required). */
    private static void addCuda(OrtSession.SessionOptions options, int device) throws CudaUnusable {
        try {
            ExecutionProvider provider = ExecutionProvider.choose(ModelConfig.Device.CUDA, device, options);
            if (!provider.cuda()) {
                throw new CudaUnusable(EXIT_CUDA_PROVIDER_LOAD, "the gateway's provider choice did not add CUDA: "
                        + provider.reason());
            }
        } catch (ModelLoadException e) {
            throw new CudaUnusable(EXIT_CUDA_PROVIDER_LOAD, "SessionOptions.addCUDA(" + device + ") failed, so the "
                    + "CUDA provider library could not be loaded. The gateway says: " + e.getMessage() + "\n  "
                    + CUDA_NEEDS);
        }
    }

    private static OrtSession createOnCuda(OrtEnvironment env, Object model, OrtSession.SessionOptions options,
            int device) throws CudaUnusable {
        try {
            return model instanceof byte[] bytes ? env.createSession(bytes, options)
                    : env.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new CudaUnusable(EXIT_CUDA_SESSION, "the CUDA provider loaded, but no session could be created on "
                    + "device " + device + ": " + e.getMessage() + ". " + sessionHints());
        }
    }

    private static String sessionHints() {
        return "Typical causes: no NVIDIA GPU visible to this process (nvidia-smi; a container started without "
                + "--gpus; CUDA_VISIBLE_DEVICES), a driver older than CUDA 12 needs, cuDNN 9 for CUDA 12 missing "
                + "(libcudnn.so.9), or a device ordinal that does not exist.";
    }

    /** Y = X · W with X float [n, k] and W [k, k]: the smallest graph whose placement says something. */
    static byte[] matMulModel(int k) {
        ByteBuffer raw = ByteBuffer.allocate(k * k * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < k * k; i++) {
            raw.putFloat(i % (k + 1) == 0 ? 1f : 0f); // identity
        }
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(k).addDims(k).setRawData(ByteString.copyFrom(raw.array())).build();
        GraphProto graph = GraphProto.newBuilder().setName("cuda_probe")
                .addInput(floatInfo("x", k)).addOutput(floatInfo("y", k)).addInitializer(w)
                .addNode(NodeProto.newBuilder().setName("probe_matmul").setOpType("MatMul").addInput("x")
                        .addInput("w").addOutput("y"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("linguagate-gpu-bench")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(graph)
                .build().toByteArray();
    }

    private static ValueInfoProto floatInfo(String name, int k) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(
                        TensorShapeProto.newBuilder()
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("n"))
                                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(k)))))
                .build();
    }

    /**
     * Which execution provider ran each node, read from ONNX Runtime's profile ({@code cat: Node} events named
     * {@code <node>_kernel_time}, whose args carry {@code op_name}, {@code provider} and {@code output_size}).
     * With CUDA, ONNX Runtime deliberately keeps small shape computations on the CPU; that is expected. The work
     * counts as fallen back when no node ran on CUDA, or when a compute op or a node with a large output ran on CPU.
     */
    record Placement(Map<String, Map<String, Integer>> opsByProvider, List<String> heavyOnCpu, long largestCpuOutput) {

        /** Ops that carry the model's arithmetic: on CPU they mean the GPU is not doing the work. */
        static final Set<String> COMPUTE_OPS = Set.of("MatMul", "Gemm", "FusedMatMul", "Attention",
                "MultiHeadAttention", "SkipLayerNormalization", "LayerNormalization", "EmbedLayerNormalization",
                "BiasGelu", "FastGelu", "Gelu", "Softmax", "Erf", "Conv");
        /** Bigger outputs on CPU are activations, not shape arithmetic (a [1, 512, 768] fp16 tensor is 768 KiB). */
        static final long LARGE_OUTPUT_BYTES = 64 * 1024;

        static Placement read(Path profile) throws CudaUnusable {
            try {
                JsonNode events = new ObjectMapper().readTree(profile.toFile());
                Files.deleteIfExists(profile); // what matters is printed; one file per session would pile up
                return parse(events.isArray() ? events : events.path("traceEvents"));
            } catch (IOException e) {
                throw new CudaUnusable(EXIT_CUDA_SESSION, "cannot read ONNX Runtime's profile " + profile + ": " + e);
            }
        }

        static Placement parse(JsonNode events) {
            Map<String, Map<String, Integer>> ops = new TreeMap<>();
            Map<String, String> seen = new LinkedHashMap<>();
            List<String> heavy = new ArrayList<>();
            long largest = 0;
            for (JsonNode e : events) {
                String name = e.path("name").asText();
                if (!e.path("cat").asText().equals("Node") || !name.endsWith("_kernel_time")) {
                    continue;
                }
                JsonNode a = e.path("args");
                String provider = a.path("provider").asText("?");
                String op = a.path("op_name").asText("?");
                long out = a.path("output_size").asLong(0);
                if (seen.putIfAbsent(name, provider) != null) {
                    continue; // the same node in a later run
                }
                ops.computeIfAbsent(provider, p -> new TreeMap<>()).merge(op, 1, Integer::sum);
                if (provider.equals(CPU_EP)) {
                    largest = Math.max(largest, out);
                    if (COMPUTE_OPS.contains(op) || out > LARGE_OUTPUT_BYTES) {
                        heavy.add(op + " " + name.substring(0, name.length() - "_kernel_time".length())
                                + " (output " + out + " bytes)");
                    }
                }
            }
            return new Placement(ops, heavy, largest);
        }

        int nodes(String provider) {
            return opsByProvider.getOrDefault(provider, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean onCuda() {
            return nodes(CUDA_EP) > 0 && heavyOnCpu.isEmpty();
        }

        String describe() {
            return opsByProvider.entrySet().stream().map(p -> nodes(p.getKey()) + " nodes on " + p.getKey() + " "
                    + p.getValue().entrySet().stream().map(o -> o.getKey() + (o.getValue() > 1 ? "x" + o.getValue()
                            : "")).collect(Collectors.joining(" ", "(", ")")))
                    .collect(Collectors.joining("; "));
        }

        void requireCuda(String what) throws CudaUnusable {
            if (onCuda()) {
                return;
            }
            String why = nodes(CUDA_EP) == 0 ? "no node ran on " + CUDA_EP
                    : heavyOnCpu.size() + " compute node(s) ran on the CPU: " + String.join(", ",
                            heavyOnCpu.subList(0, Math.min(5, heavyOnCpu.size())));
            throw new CudaUnusable(EXIT_CPU_FALLBACK, "ONNX Runtime fell back to the CPU for " + what + ": " + why
                    + ". Placement from its profile: " + describe() + ".");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Models and sessions

    private record Models(Path fp32, Path fp16) {
        String describe() {
            return Stream.of(fp32, fp16).filter(p -> p != null).map(p -> {
                try {
                    return p + String.format(Locale.ROOT, " (%.0f MB)", Files.size(p) / 1e6);
                } catch (IOException e) {
                    return p.toString();
                }
            }).collect(Collectors.joining(", "));
        }
    }

    /**
     * {@code dir/fp32/model.onnx} (plain ops, as the gateway converts for CPU) and, when {@code fp16},
     * {@code dir/fp16-fused/model.onnx} (as it converts for CUDA), from one random checkpoint that is deleted after
     * converting. Kept between runs: a second run starts at the measurements.
     */
    private static Models ensureModels(ConversionBench.Size size, Path dir, boolean fp16) throws IOException {
        Path fp32 = dir.resolve("fp32").resolve("model.onnx");
        Path half = dir.resolve("fp16-fused").resolve("model.onnx");
        if (Files.exists(fp32) && (!fp16 || Files.exists(half))) {
            return new Models(fp32, fp16 ? half : null);
        }
        Path checkpoint = dir.resolve("checkpoint");
        try {
            long t0 = System.nanoTime();
            long bytes = ConversionBench.writeCheckpoint(size, checkpoint);
            System.out.printf("random %s checkpoint written: %.0f MB fp32 safetensors in %.1f s%n", size.name(),
                    bytes / 1e6, secondsSince(t0));
            ConversionOptions plain = ConversionOptions.defaults();
            if (!Files.exists(fp32)) {
                convert(checkpoint, fp32, plain);
            }
            if (fp16 && !Files.exists(half)) {
                convert(checkpoint, half, plain.withPrecision(ConversionOptions.Precision.FP16).withFused(true));
            }
        } finally {
            deleteTree(checkpoint);
        }
        return new Models(fp32, fp16 ? half : null);
    }

    private static void convert(Path checkpoint, Path onnx, ConversionOptions options) {
        CheckpointConverter.Result r = CheckpointConverter.convert(checkpoint, onnx, options);
        System.out.printf("converted to %s: %.0f MB in %.1f s%n", options.describe(), r.onnxBytes() / 1e6,
                r.elapsed().toMillis() / 1e3);
    }

    /** As the gateway opens a session on CUDA (ClassifierModelLoader), plus profiling of the first run. */
    private static OnnxClassifier cudaSession(OrtEnvironment env, Path onnx, int device, int threads, Path work)
            throws OrtException, CudaUnusable {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            addCuda(options, device);
            options.enableProfiling(work.resolve("cuda-profile").toAbsolutePath().toString());
            session = createOnCuda(env, onnx, options, device);
        }
        OnnxClassifier classifier = OnnxClassifier.of(env, session, onnx, BERT_FRAME, 1);
        try {
            classifier.keepProbabilities(chunks(1));
            Placement placement = Placement.read(Path.of(session.endProfiling()));
            System.out.println("placement (ONNX Runtime profile, first run): " + placement.describe());
            placement.requireCuda("the benchmark model");
            return classifier;
        } catch (InferenceException e) {
            classifier.close();
            throw new CudaUnusable(EXIT_CUDA_SESSION, "the CUDA session was created but its first run failed: "
                    + e.getMessage() + ". " + sessionHints());
        } catch (CudaUnusable | RuntimeException | OrtException e) {
            classifier.close();
            throw e;
        }
    }

    /** As the gateway opens a session on CPU: fp32, all cores, denormals flushed to zero. */
    private static OnnxClassifier cpuSession(OrtEnvironment env, Path onnx, int threads, Path work)
            throws OrtException, CudaUnusable {
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.set_denormal_as_zero", "1");
            options.enableProfiling(work.resolve("cpu-profile").toAbsolutePath().toString());
            session = env.createSession(onnx.toString(), options);
        }
        OnnxClassifier classifier = OnnxClassifier.of(env, session, onnx, BERT_FRAME, 1);
        classifier.keepProbabilities(chunks(1));
        System.out.println("placement (ONNX Runtime profile, first run): "
                + Placement.read(Path.of(session.endProfiling())).describe());
        return classifier;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timing

    /** Warm-ups, then at least {@code min} timed calls, more while under {@code seconds} and {@code max}. */
    record RunCount(int warmups, int min, int max, double seconds) {
    }

    private record Runs(RunCount gpu, RunCount cpu) {
        static final Runs FULL = new Runs(new RunCount(3, 10, 200, 3.0), new RunCount(1, 3, 20, 5.0));
        static final Runs QUICK = new Runs(new RunCount(2, 3, 30, 0.5), new RunCount(1, 2, 2, 0));
    }

    /**
     * One row: times of whole batches (each chunk of a batch waits for all of it) and the same divided by the batch
     * (what one 512-token chunk costs when chunks come in batches of this size).
     */
    record Timing(String provider, String precision, int batch, int runs, double p50Ms, double p90Ms,
            double tokensPerSecond, String failure) {

        double chunkP50Ms() {
            return p50Ms / batch;
        }

        double chunkP90Ms() {
            return p90Ms / batch;
        }

        String line(Double cpuBatch1TokensPerSecond) {
            if (failure != null) {
                return String.format(Locale.ROOT, "%-5s %-11s %5d  failed: %s", provider, precision, batch, failure);
            }
            return String.format(Locale.ROOT, "%-5s %-11s %5d %5d %12.2f %12.2f %12.3f %12.3f %12s %9s", provider,
                    precision, batch, runs, p50Ms, p90Ms, chunkP50Ms(), chunkP90Ms(),
                    String.format(Locale.ROOT, "%,.0f", tokensPerSecond), cpuBatch1TokensPerSecond == null ? ""
                            : String.format(Locale.ROOT, "%.1fx", tokensPerSecond / cpuBatch1TokensPerSecond));
        }
    }

    static final String HEADER = String.format(Locale.ROOT, "%-5s %-11s %5s %5s %12s %12s %12s %12s %12s %9s",
            "EP", "model", "batch", "runs", "batch p50 ms", "batch p90 ms", "chunk p50 ms", "chunk p90 ms",
            "tokens/s", "vs CPU b1");

    private static Timing measure(String provider, String precision, OnnxClassifier model, int batch,
            RunCount count) {
        List<int[]> input = chunks(batch);
        List<Long> times = new ArrayList<>();
        try {
            for (int i = 0; i < count.warmups(); i++) {
                model.keepProbabilities(input);
            }
            long begin = System.nanoTime();
            while (times.size() < count.min()
                    || (times.size() < count.max() && System.nanoTime() - begin < count.seconds() * 1e9)) {
                long t0 = System.nanoTime();
                List<float[]> keep = model.keepProbabilities(input);
                times.add(System.nanoTime() - t0);
                if (times.size() == 1 && Float.isNaN(keep.get(0)[0])) {
                    return new Timing(provider, precision, batch, 0, 0, 0, 0, "NaN keep probabilities");
                }
            }
        } catch (InferenceException | OutOfMemoryError e) {
            return new Timing(provider, precision, batch, times.size(), 0, 0, 0, e.getMessage());
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        double total = Arrays.stream(sorted).sum() / 1e9;
        return new Timing(provider, precision, batch, sorted.length, percentile(sorted, 0.5) / 1e6,
                percentile(sorted, 0.9) / 1e6, (double) batch * SEQUENCE * sorted.length / total, null);
    }

    /** Nearest rank. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * {@code batch} chunks of 510 text tokens, different per chunk, ids in [1000, 30000): above BERT's special ids,
     * below both sizes' vocabularies (the cost does not depend on the ids).
     */
    static List<int[]> chunks(int batch) {
        int range = 29_000;
        List<int[]> chunks = new ArrayList<>(batch);
        for (int c = 0; c < batch; c++) {
            int[] ids = new int[SEQUENCE - 2];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = 1000 + (int) ((c * 7919L + t * 104_729L) % range);
            }
            chunks.add(ids);
        }
        return chunks;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Report

    private static void report(Settings s, OrtEnvironment env, List<Timing> rows, List<Timing> cpuRows,
            double seconds) {
        Double cpu1 = cpuRows.stream().filter(t -> t.batch() == 1 && t.failure() == null).findFirst()
                .map(Timing::tokensPerSecond).orElse(null);
        System.out.printf("%n%s%n", HEADER);
        rows.forEach(t -> System.out.println(t.line(cpu1)));
        System.out.println("tokens/s counts all 512 positions of a chunk ([CLS] + 510 + [SEP]); chunk ms = batch ms "
                + "/ batch (amortised); vs CPU b1 = tokens/s over the CPU's at batch 1, same run");

        Timing bestCpu = cpuRows.stream().filter(t -> t.failure() == null)
                .max(Comparator.comparingDouble(Timing::tokensPerSecond)).orElse(null);
        String cpuCell = cpuRows.stream().filter(t -> t.failure() == null)
                .map(t -> String.format(Locale.ROOT, "%,.0f", t.tokensPerSecond())).collect(Collectors.joining(" / "))
                + String.format(Locale.ROOT, " (%d threads)", s.threads());
        String model = s.size() == ConversionBench.BERT_BASE ? "BERT-base size (12 × 768), fp16 + fused"
                : "BGE-small size (12 × 384), fp16 + fused";
        String device = s.label().isBlank() ? "NVIDIA GPU " + s.device() : s.label();
        if (s.cpuOnly()) {
            System.out.printf("%nRESULT: CPU only (--cpu-only), %s; CUDA not measured. %.0f s in all.%n",
                    cpuRows.stream().map(t -> "batch " + t.batch() + " " + String.format(Locale.ROOT, "%,.0f",
                            t.tokensPerSecond()) + " tokens/s").collect(Collectors.joining(", ")), seconds);
            System.out.printf("README row: | GPU: not measured yet — run `bench/gpu-bench.sh` | %s | — | — | %s | — |%n",
                    model, cpuCell);
            return;
        }
        List<Timing> cuda = rows.stream().filter(t -> t.provider().equals("CUDA") && t.failure() == null).toList();
        Timing one = cuda.stream().filter(t -> t.batch() == 1).findFirst().orElse(null);
        Timing best = cuda.stream().max(Comparator.comparingDouble(Timing::tokensPerSecond)).orElse(null);
        if (best == null || bestCpu == null) {
            System.out.println("RESULT: incomplete (a CUDA or CPU row failed; see above)");
            return;
        }
        System.out.printf(Locale.ROOT, "%nRESULT: CUDA best at batch %d: %,.0f tokens/s (%.2f ms per chunk) = %.1fx "
                + "the CPU's best (batch %d, %,.0f tokens/s); batch 1: %s ms per chunk (p50). %.0f s in all.%n",
                best.batch(), best.tokensPerSecond(), best.chunkP50Ms(), best.tokensPerSecond()
                        / bestCpu.tokensPerSecond(), bestCpu.batch(), bestCpu.tokensPerSecond(),
                one == null ? "—" : String.format(Locale.ROOT, "%.2f", one.p50Ms()), seconds);
        System.out.printf(Locale.ROOT, "README row: | %s (CUDA EP, ONNX Runtime %s) | %s | %s | %d: %,.0f tokens/s "
                + "(%.2f ms per chunk) | %s | **%.0f×** |%n", device, env.getVersion(), model,
                one == null ? "—" : String.format(Locale.ROOT, "%.2f / %.2f ms", one.p50Ms(), one.p90Ms()),
                best.batch(), best.tokensPerSecond(), best.chunkP50Ms(), cpuCell,
                best.tokensPerSecond() / bestCpu.tokensPerSecond());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
