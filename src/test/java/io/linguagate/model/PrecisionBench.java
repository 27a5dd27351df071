package io.linguagate.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.linguagate.bench.BenchCheckpoint;
import io.linguagate.bench.ConversionBench;
import io.linguagate.lingua.BatchShape;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.ScoredWord;
import io.linguagate.model.convert.CheckpointConverter;
import io.linguagate.model.convert.ConversionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark harness (not a test): the same checkpoint converted by the project's converter in several precisions
 * (default fp32 and int8), timed in one process, interleaved run by run on the same text so that machine noise
 * hits all alike, then the word labels of int8 against fp32 at several rates, decided as the gateway decides them
 * (per-chunk percentile threshold). Run by {@code bench/compress-bench.sh --compare-precision}.
 *
 * <p>Usage: {@code PrecisionBench <bench-model-dir> <corpus> [--checkpoint bench|bert-base] [--work DIR]
 * [--precisions fp32,int8] [--threads N] [--batch N] [--sizes "512 2048"] [--rates "0.33 0.5 0.7"]
 * [--runs N] [--memory SPEC] [--convert-only]}. The checkpoint is the bench model's pretrained encoder turned back into safetensors
 * ({@link BenchCheckpoint}), or a random BERT-base-sized one ({@code bert-base}: timing and size only, its labels
 * are noise). {@code --memory SPEC} loads only that precision's converted model (from an earlier run), compresses
 * each size twice, and prints the process' peak RSS: run once per precision, each in its own JVM.
 */
public final class PrecisionBench {

    private PrecisionBench() {
    }

    public static void main(String[] args) throws Exception {
        DjlOffline.ensure();
        Path modelDir = Path.of(args[0]);
        String corpus = Files.readString(Path.of(args[1]));
        String checkpointKind = "bench";
        Path work = null;
        List<String> specs = List.of("fp32", "int8");
        int threads = 2;
        int batch = ClassifierModelLoader.CPU_MAX_BATCH;
        int[] sizes = {512, 2048, 8192};
        double[] rates = {0.33, 0.5, 0.7};
        int fixedRuns = -1;
        String memory = null;
        boolean convertOnly = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--checkpoint" -> checkpointKind = args[++i];
                case "--work" -> work = Path.of(args[++i]);
                case "--precisions" -> specs = List.of(args[++i].split(","));
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = ints(args[++i]);
                case "--rates" -> rates = doubles(args[++i]);
                case "--runs" -> fixedRuns = Integer.parseInt(args[++i]);
                case "--memory" -> memory = args[++i];
                case "--convert-only" -> convertOnly = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (work == null) {
            work = modelDir.resolveSibling(modelDir.getFileName() + "-precision-" + checkpointKind);
        }
        Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (memory != null) {
            memory(env, work.resolve(dirName(memory)), corpus, cl100k, threads, batch, sizes, memory);
            return;
        }

        Path checkpoint = work.resolve("checkpoint");
        if (!Files.isRegularFile(checkpoint.resolve("model.safetensors"))) {
            long t0 = System.nanoTime();
            if (checkpointKind.equals("bert-base")) {
                ConversionBench.writeBertBase(checkpoint);
            } else {
                BenchCheckpoint.write(modelDir, checkpoint);
            }
            System.out.printf("checkpoint %s written in %.1f s%n", checkpoint, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, ModelDirectory> models = new LinkedHashMap<>();
        for (String spec : specs) {
            Path dir = work.resolve(dirName(spec));
            Files.createDirectories(dir);
            Files.copy(modelDir.resolve("tokenizer.json"), dir.resolve("tokenizer.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(checkpoint.resolve("config.json"), dir.resolve("config.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            CheckpointConverter.Result r = convert(checkpoint, dir.resolve("model.onnx"), spec);
            System.out.printf(Locale.ROOT, "%-12s converted in %5.1f s: %7.1f MB%n", spec,
                    r.elapsed().toNanos() / 1e9, (r.onnxBytes() + r.externalDataBytes()) / 1e6);
            models.put(spec, ModelDirectory.read(dir, new ObjectMapper()));
        }
        if (convertOnly) {
            return; // the model directories are what the caller wanted (bench/load-bench.sh)
        }

        HfClassifierTokenizer hf = HfClassifierTokenizer.load(models.values().iterator().next());
        Map<String, OnnxClassifier> sessions = new LinkedHashMap<>();
        Map<String, Llmlingua2Compressor> compressors = new LinkedHashMap<>();
        for (var e : models.entrySet()) {
            OnnxClassifier c = session(env, e.getValue().onnx(), hf, threads);
            sessions.put(e.getKey(), c);
            compressors.put(e.getKey(), new Llmlingua2Compressor(hf, c, cl100k::countTokensOrdinary, batch,
                    BatchShape.EQUAL_LENGTH));
        }
        if (!checkpointKind.equals("bert-base") && sessions.containsKey("fp32")) {
            // The round trip bench ONNX -> safetensors -> converter must compute what the original graph computes.
            try (OnnxClassifier original = session(env, modelDir.resolve("model.onnx"), hf, threads)) {
                int[] all = hf.tokenize(CompressionBench.prefixOfTokens(corpus, 400, cl100k)).ids();
                int[] chunk = Arrays.copyOf(all, Math.min(all.length, Llmlingua2Compressor.MAX_CHUNK_TOKENS));
                float[] a = original.keepProbabilities(List.of(chunk)).get(0);
                float[] b = sessions.get("fp32").keepProbabilities(List.of(chunk)).get(0);
                double max = 0;
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
                System.out.printf(Locale.ROOT, "round trip: converted fp32 vs %s on %d tokens: max |dp| = %.2e%n",
                        modelDir.resolve("model.onnx"), chunk.length, max);
            }
        }

        CompressionOptions rate = CompressionOptions.builder().rate(0.5).forceTokens(List.of("\n")).build();
        System.out.printf("%nORT intra-op threads %d, max batch %d, %d cores; median ms per compression (rate 0.5)%n",
                threads, batch, Runtime.getRuntime().availableProcessors());
        StringBuilder header = new StringBuilder(String.format("%8s", "tokens"));
        specs.forEach(s -> header.append(String.format("%14s", s)));
        specs.subList(1, specs.size()).forEach(s -> header.append(String.format("%18s", "speed-up " + s)));
        System.out.println(header);
        String base = specs.get(0);
        for (int size : sizes) {
            String text = CompressionBench.prefixOfTokens(corpus, size, cl100k);
            int runs = fixedRuns > 0 ? fixedRuns : size >= 32768 ? 3 : size >= 8192 ? 5 : 10;
            for (Llmlingua2Compressor c : compressors.values()) {
                c.compress(text, rate);
                c.compress(text, rate);
            }
            Map<String, long[]> times = new LinkedHashMap<>();
            specs.forEach(s -> times.put(s, new long[runs]));
            for (int r = 0; r < runs; r++) {
                // Rotate which precision goes first, so none always runs on a cache the other warmed.
                for (int k = 0; k < specs.size(); k++) {
                    String s = specs.get((k + r) % specs.size());
                    long t0 = System.nanoTime();
                    compressors.get(s).compress(text, rate);
                    times.get(s)[r] = System.nanoTime() - t0;
                }
            }
            StringBuilder line = new StringBuilder(String.format("%8d", size));
            for (String s : specs) {
                line.append(String.format(Locale.ROOT, "%14.1f", median(times.get(s)) / 1e6));
            }
            for (String s : specs.subList(1, specs.size())) {
                line.append(String.format(Locale.ROOT, "%17.2fx", median(times.get(base)) / median(times.get(s))));
            }
            System.out.println(line);
        }

        System.out.printf("%nword labels against %s, whole corpus (%d cl100k tokens), labels at the percentile "
                + "threshold%n", base, cl100k.countTokensOrdinary(corpus));
        System.out.printf("%-12s %6s %8s %10s %12s %12s %12s%n", "precision", "rate", "words", "agreement",
                "kept both", "mean |dp|", "max |dp|");
        for (double r : rates) {
            CompressionOptions o = CompressionOptions.builder().rate(r).forceTokens(List.of("\n")).returnWords(true)
                    .build();
            List<ScoredWord> ref = compressors.get(base).compress(corpus, o).words();
            if (r == rates[0]) {
                // How close the words' probabilities lie together: the closer, the more a small error flips labels
                // at the threshold (a random head scores every word alike; a trained one separates them).
                double[] p = ref.stream().mapToDouble(ScoredWord::prob).filter(Double::isFinite).sorted().toArray();
                System.out.printf(Locale.ROOT, "%s keep probabilities: p5 %.4f, p25 %.4f, p50 %.4f, p75 %.4f, "
                        + "p95 %.4f%n", base, p[p.length / 20], p[p.length / 4], p[p.length / 2],
                        p[p.length * 3 / 4], p[p.length * 19 / 20]);
            }
            for (String s : specs.subList(1, specs.size())) {
                CompressionResult res = compressors.get(s).compress(corpus, o);
                List<ScoredWord> words = res.words();
                if (words.size() != ref.size()) {
                    throw new IllegalStateException(s + ": " + words.size() + " words vs " + ref.size());
                }
                int same = 0;
                int keptBoth = 0;
                double sum = 0;
                double max = 0;
                for (int i = 0; i < words.size(); i++) {
                    boolean a = ref.get(i).kept();
                    boolean b = words.get(i).kept();
                    same += a == b ? 1 : 0;
                    keptBoth += a && b ? 1 : 0;
                    double d = Math.abs(ref.get(i).prob() - words.get(i).prob());
                    if (Double.isFinite(d)) {
                        sum += d;
                        max = Math.max(max, d);
                    }
                }
                System.out.printf(Locale.ROOT, "%-12s %6.2f %8d %9.2f%% %12d %12.2e %12.2e%n", s, r, words.size(),
                        100.0 * same / words.size(), keptBoth, sum / words.size(), max);
            }
        }
        sessions.values().forEach(OnnxClassifier::close);
        hf.close();
    }

    /** Loads one converted precision only and reports the process' memory; a JVM of its own per precision. */
    private static void memory(OrtEnvironment env, Path dir, String corpus, Encoding cl100k, int threads, int batch,
            int[] sizes, String spec) throws Exception {
        ModelDirectory files = ModelDirectory.read(dir, new ObjectMapper());
        long fileBytes = Files.size(files.onnx());
        Path data = CheckpointConverter.externalDataPath(files.onnx());
        if (Files.exists(data)) {
            fileBytes += Files.size(data);
        }
        long before = status("VmRSS");
        HfClassifierTokenizer hf = HfClassifierTokenizer.load(files);
        OnnxClassifier c = session(env, files.onnx(), hf, threads);
        long loaded = status("VmRSS");
        Llmlingua2Compressor compressor = new Llmlingua2Compressor(hf, c, cl100k::countTokensOrdinary, batch,
                BatchShape.EQUAL_LENGTH);
        CompressionOptions rate = CompressionOptions.builder().rate(0.5).forceTokens(List.of("\n")).build();
        for (int size : sizes) {
            String text = CompressionBench.prefixOfTokens(corpus, size, cl100k);
            compressor.compress(text, rate);
            compressor.compress(text, rate);
        }
        System.out.printf(Locale.ROOT, "memory %-12s file %7.1f MB, RSS before load %6.1f MB, after load %6.1f MB, "
                + "peak (VmHWM) %6.1f MB after compressing %s tokens%n", spec, fileBytes / 1e6, before / 1e3,
                loaded / 1e3, status("VmHWM") / 1e3, Arrays.toString(sizes));
        c.close();
        hf.close();
    }

    /** {@code fp32}, {@code int8}, {@code fp16}, {@code fp32+fused}, {@code int8+external}, ... */
    static CheckpointConverter.Result convert(Path checkpoint, Path onnx, String spec) {
        ConversionOptions o = ConversionOptions.defaults();
        for (String part : spec.split("\\+")) {
            o = switch (part) {
                case "fp32" -> o.withPrecision(ConversionOptions.Precision.FP32);
                case "fp16" -> o.withPrecision(ConversionOptions.Precision.FP16);
                case "int8" -> o.withPrecision(ConversionOptions.Precision.INT8);
                case "fused" -> o.withFused(true);
                case "external" -> o.withExternalData(ConversionOptions.ExternalData.ALWAYS);
                default -> throw new IllegalArgumentException("unknown precision part " + part + " in " + spec);
            };
        }
        return CheckpointConverter.convert(checkpoint, onnx, o);
    }

    /** Space-separated numbers; {@code none} or blank for none. */
    private static double[] doubles(String list) {
        String l = list.trim();
        return l.isEmpty() || l.equals("none") ? new double[0]
                : Arrays.stream(l.split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    /** Space-separated integers; {@code none} or blank for none. */
    private static int[] ints(String list) {
        String l = list.trim();
        return l.isEmpty() || l.equals("none") ? new int[0]
                : Arrays.stream(l.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    private static String dirName(String spec) {
        return spec.replace('+', '-');
    }

    /** A session as the gateway opens one on CPU (ClassifierModelLoader). */
    private static OnnxClassifier session(OrtEnvironment env, Path onnx, HfClassifierTokenizer hf, int threads)
            throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.set_denormal_as_zero", "1");
        return OnnxClassifier.of(env, env.createSession(onnx.toString(), options), onnx, hf.sequenceIds(), 1);
    }

    /** A {@code /proc/self/status} field in kB (-1 when unreadable). */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
