package io.linguagate.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.linguagate.model.convert.CheckpointConverter;
import io.linguagate.model.convert.ConversionOptions;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import io.linguagate.model.convert.SafetensorsWriter;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Times {@link CheckpointConverter} on a realistic-size checkpoint and measures its memory.
 *
 * <p>Writes a random-weight checkpoint of the chosen size to {@code target/conversion-bench/<size>/checkpoint}
 * (BERT-base multilingual as LLMLingua-2 uses it: 12 layers, hidden 768, 12 heads, intermediate 3072, vocab
 * 119,647 incl. the 100 placeholders, fp32 ≈ 711 MB; or XLM-R large: 24 layers, hidden 1024, 16 heads,
 * intermediate 4096, vocab 250,102, fp32 ≈ 2.24 GB, which needs external data), converts it, and prints the
 * conversion time, peak heap (sampled every 2 ms and before every GC, after a GC and a peak reset) and the process'
 * peak RSS ({@code VmHWM}, reset through {@code /proc/self/clear_refs} before converting) with its anonymous and
 * file-backed parts (the memory-mapped checkpoint counts as file-backed). Then loads the model in ONNX Runtime and
 * runs one padded batch to show it works, and deletes the big files (unless {@code --keep}).
 *
 * <p>Run (ONNX Runtime 1.29.0 crashes the JVM on command lines over ~4 KB, hence the @argfile):
 * <pre>
 * ./mvnw -q -B test-compile
 * ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * printf -- '-cp "%s"\n' "target/test-classes:target/classes:$(cat target/cp.txt)" &gt; target/bench-args
 * $JAVA_HOME/bin/java -Xmx1g --enable-native-access=ALL-UNNAMED @target/bench-args \
 *     io.linguagate.bench.ConversionBench [bert-base|xlmr-large] [--fp16] [--fused] [--external] [--keep] [--no-verify]
 * </pre>
 */
public final class ConversionBench {

    /** The shape of a random checkpoint ({@link #writeCheckpoint}); also used by {@code GpuBench}. */
    public record Size(String name, String modelType, int layers, int hidden, int heads, int intermediate, int vocab,
            int positions, int types, int pad, double eps) {

        /** bert-base, xlmr-large or bge-small. */
        public static Size named(String name) {
            return switch (name) {
                case "bert-base" -> BERT_BASE;
                case "xlmr-large" -> XLMR_LARGE;
                case "bge-small" -> BGE_SMALL;
                default -> throw new IllegalArgumentException("unknown size " + name
                        + " (bert-base, xlmr-large, bge-small)");
            };
        }

        /** Weights and biases of the encoder and head (embeddings included). */
        public long parameters() {
            long layer = 4L * (hidden * (long) hidden + hidden) + 2L * hidden * (long) intermediate + intermediate
                    + hidden + 4L * hidden;
            return (vocab + positions + types) * (long) hidden + 2L * hidden + layers * layer + 2L * hidden + 2;
        }
    }

    public static final Size BERT_BASE = new Size("bert-base", "bert", 12, 768, 12, 3072, 119_647, 512, 2, 0,
            1e-12);
    public static final Size XLMR_LARGE = new Size("xlmr-large", "xlm-roberta", 24, 1024, 16, 4096, 250_102, 514, 1,
            1, 1e-5);
    /** BAAI/bge-small-en-v1.5's shape (12 layers, hidden 384, 12 heads, intermediate 1536, vocab 30,522 + 100). */
    public static final Size BGE_SMALL = new Size("bge-small", "bert", 12, 384, 12, 1536, 30_622, 512, 2, 0,
            1e-12);

    private ConversionBench() {
    }

    public static void main(String[] args) throws Exception {
        Size size = BERT_BASE;
        ConversionOptions options = ConversionOptions.defaults();
        boolean keep = false;
        boolean verify = true;
        for (String a : args) {
            switch (a) {
                case "bert-base" -> size = BERT_BASE;
                case "xlmr-large" -> size = XLMR_LARGE;
                case "--fp16" -> options = options.withPrecision(ConversionOptions.Precision.FP16);
                case "--fused" -> options = options.withFused(true);
                case "--external" -> options = options.withExternalData(ConversionOptions.ExternalData.ALWAYS);
                case "--keep" -> keep = true;
                case "--no-verify" -> verify = false;
                default -> {
                    System.err.println("usage: ConversionBench [bert-base|xlmr-large] [--fp16] [--fused] "
                            + "[--external] [--keep] [--no-verify]");
                    System.exit(2);
                }
            }
        }
        Path root = Path.of("target", "conversion-bench", size.name());
        Path checkpoint = root.resolve("checkpoint");
        Path onnx = root.resolve("onnx").resolve("model.onnx");
        try {
            long t0 = System.nanoTime();
            long bytes = writeCheckpoint(size, checkpoint);
            System.out.printf("checkpoint: %s, %.1f MB written in %.1f s%n", checkpoint, bytes / 1e6,
                    (System.nanoTime() - t0) / 1e9);

            // Measure the conversion only: collect the generator's garbage, reset the peaks.
            System.gc();
            Thread.sleep(200);
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            boolean hwmReset = resetPeakRss();
            long heapBefore = heapUsed();
            HeapWatch watch = HeapWatch.start();
            CheckpointConverter.Result result = CheckpointConverter.convert(checkpoint, onnx, options);
            watch.stop();
            Map<String, Long> status = procStatus();

            long poolPeaks = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    poolPeaks += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("%nconversion (%s, %s): %.2f s%n", size.name(), options.describe(),
                    result.elapsed().toNanos() / 1e9);
            System.out.printf("  output: model.onnx %.1f MB%s%n", result.onnxBytes() / 1e6,
                    result.externalData().isPresent()
                            ? String.format(" + model.onnx_data %.1f MB", result.externalDataBytes() / 1e6) : "");
            System.out.printf("  heap: max %d MB (-Xmx), used before %.1f MB, peak used %.1f MB (sampled + before "
                    + "each GC), sum of pool peaks %.1f MB, %d GCs during conversion%n",
                    Runtime.getRuntime().maxMemory() >> 20, heapBefore / 1e6, watch.peak() / 1e6, poolPeaks / 1e6,
                    watch.gcs());
            System.out.printf("  process RSS: peak (VmHWM%s) %.1f MB; at the end VmRSS %.1f MB = anonymous %.1f MB "
                    + "+ file-backed %.1f MB (mapped checkpoint pages) + shmem %.1f MB%n",
                    hwmReset ? ", reset before converting" : ", NOT reset: includes writing the checkpoint",
                    status.getOrDefault("VmHWM", -1L) / 1e3, status.getOrDefault("VmRSS", -1L) / 1e3,
                    status.getOrDefault("RssAnon", -1L) / 1e3, status.getOrDefault("RssFile", -1L) / 1e3,
                    status.getOrDefault("RssShmem", -1L) / 1e3);
            if (verify) {
                verify(onnx, size);
            }
        } finally {
            if (!keep) {
                deleteTree(root);
                System.out.println("deleted " + root);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Writes the random BERT-base-sized checkpoint to {@code dir} (PrecisionBench); returns the weights' size. */
    public static long writeBertBase(Path dir) throws IOException {
        return writeCheckpoint(BERT_BASE, dir);
    }

    /**
     * Streams a random checkpoint ({@code config.json} + {@code model.safetensors}, fixed seeds) to {@code dir};
     * returns the safetensors file's size.
     */
    public static long writeCheckpoint(Size s, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.put("model_type", s.modelType()).put("hidden_size", s.hidden()).put("num_hidden_layers", s.layers())
                .put("num_attention_heads", s.heads()).put("intermediate_size", s.intermediate())
                .put("hidden_act", "gelu").put("layer_norm_eps", s.eps()).put("vocab_size", s.vocab())
                .put("max_position_embeddings", s.positions()).put("type_vocab_size", s.types())
                .put("pad_token_id", s.pad()).put("position_embedding_type", "absolute");
        cfg.putObject("id2label").put("0", "LABEL_0").put("1", "LABEL_1");
        Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());

        String p = s.modelType().equals("bert") ? "bert." : "roberta.";
        SafetensorsWriter w = new SafetensorsWriter();
        int[] seed = {0};
        add(w, p + "embeddings.word_embeddings.weight", 0.05f, seed, s.vocab(), s.hidden());
        add(w, p + "embeddings.position_embeddings.weight", 0.05f, seed, s.positions(), s.hidden());
        add(w, p + "embeddings.token_type_embeddings.weight", 0.05f, seed, s.types(), s.hidden());
        layerNorm(w, p + "embeddings.LayerNorm", s.hidden());
        for (int i = 0; i < s.layers(); i++) {
            String l = p + "encoder.layer." + i + ".";
            linear(w, l + "attention.self.query", s.hidden(), s.hidden(), seed);
            linear(w, l + "attention.self.key", s.hidden(), s.hidden(), seed);
            linear(w, l + "attention.self.value", s.hidden(), s.hidden(), seed);
            linear(w, l + "attention.output.dense", s.hidden(), s.hidden(), seed);
            layerNorm(w, l + "attention.output.LayerNorm", s.hidden());
            linear(w, l + "intermediate.dense", s.hidden(), s.intermediate(), seed);
            linear(w, l + "output.dense", s.intermediate(), s.hidden(), seed);
            layerNorm(w, l + "output.LayerNorm", s.hidden());
        }
        linear(w, "classifier", s.hidden(), 2, seed);
        Path file = w.write(dir.resolve("model.safetensors"));
        return Files.size(file);
    }

    private static void linear(SafetensorsWriter w, String module, int in, int out, int[] seed) {
        add(w, module + ".weight", (float) (1 / Math.sqrt(in)), seed, out, in);
        add(w, module + ".bias", 0.02f, seed, out);
    }

    private static void layerNorm(SafetensorsWriter w, String module, int hidden) {
        w.add(module + ".weight", Dtype.F32, new long[] {hidden}, (first, dst, n) -> java.util.Arrays.fill(dst, 0,
                n, 1f));
        w.add(module + ".bias", Dtype.F32, new long[] {hidden}, (first, dst, n) -> java.util.Arrays.fill(dst, 0, n,
                0f));
    }

    /** Uniform values in [-scale, scale), from a generator of its own per tensor (sequential chunks). */
    private static void add(SafetensorsWriter w, String name, float scale, int[] seed, long... shape) {
        SplittableRandom random = new SplittableRandom(20260101L + seed[0]++);
        w.add(name, Dtype.F32, shape, (first, dst, n) -> {
            for (int i = 0; i < n; i++) {
                dst[i] = (random.nextFloat() * 2 - 1) * scale;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void verify(Path onnx, Size s) throws Exception {
        long t0 = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "bench");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(onnx.toString(), options)) {
            double load = (System.nanoTime() - t0) / 1e9;
            int seq = 64;
            long[][] ids = new long[2][seq];
            long[][] mask = new long[2][seq];
            for (int b = 0; b < 2; b++) {
                int len = b == 0 ? seq : seq / 2;
                for (int t = 0; t < seq; t++) {
                    ids[b][t] = t < len ? (t * 7919L + b) % s.vocab() : s.pad();
                    mask[b][t] = t < len ? 1 : 0;
                }
            }
            ids[0][seq - 1] = s.vocab() - 1;
            Map<String, OnnxTensor> feed = new HashMap<>();
            feed.put("input_ids", OnnxTensor.createTensor(env, ids));
            feed.put("attention_mask", OnnxTensor.createTensor(env, mask));
            if (session.getInputNames().contains("token_type_ids")) {
                feed.put("token_type_ids", OnnxTensor.createTensor(env, new long[2][seq]));
            }
            long t1 = System.nanoTime();
            try (OrtSession.Result r = session.run(feed)) {
                float[][][] logits = (float[][][]) r.get("logits").orElseThrow().getValue();
                double run = (System.nanoTime() - t1) / 1e9;
                boolean finite = true;
                for (float[][] sq : logits) {
                    for (float[] tok : sq) {
                        finite &= Float.isFinite(tok[0]) && Float.isFinite(tok[1]);
                    }
                }
                System.out.printf("  ONNX Runtime: session created in %.2f s, batch 2 x %d in %.3f s, logits %s, "
                        + "finite: %s, first token %.4f / %.4f%n", load, seq, run,
                        List.of(logits.length, logits[0].length, logits[0][0].length), finite, logits[0][0][0],
                        logits[0][0][1]);
                if (!finite) {
                    throw new IllegalStateException("non-finite logits");
                }
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Peak heap use: sampled every 2 ms, and the heap's occupancy just before each GC. */
    private static final class HeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong gcs = new AtomicLong();
        private final Thread sampler;
        private final List<NotificationEmitter> emitters;
        private final javax.management.NotificationListener listener;
        private volatile boolean running = true;

        private HeapWatch() {
            listener = (notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData());
                long before = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                    if (isHeap(e.getKey())) {
                        before += e.getValue().getUsed();
                    }
                }
                peak.accumulateAndGet(before, Math::max);
                gcs.incrementAndGet();
            };
            emitters = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .map(b -> (NotificationEmitter) b).toList();
            emitters.forEach(e -> e.addNotificationListener(listener, null, null));
            sampler = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(heapUsed(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static HeapWatch start() {
            return new HeapWatch();
        }

        private static boolean isHeap(String pool) {
            return ManagementFactory.getMemoryPoolMXBeans().stream()
                    .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            peak.accumulateAndGet(heapUsed(), Math::max);
            for (NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // already gone
                }
            }
        }

        long peak() {
            return peak.get();
        }

        long gcs() {
            return gcs.get();
        }
    }

    /** Resets VmHWM to the current RSS (Linux ≥ 4.0: write 5 to clear_refs). */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** kB values of /proc/self/status, as bytes/1000 units (kB). */
    private static Map<String, Long> procStatus() {
        Map<String, Long> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] parts = line.split(":\\s+");
                if (parts.length == 2 && parts[1].endsWith(" kB")) {
                    m.put(parts[0], Long.parseLong(parts[1].replace(" kB", "").trim()) * 1024 / 1000);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave empty
        }
        return m;
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
