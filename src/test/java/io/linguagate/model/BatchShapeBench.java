package io.linguagate.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.linguagate.lingua.BatchShape;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.Llmlingua2Compressor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark harness (not a test): the CPU inference settings before and after, in one run on the same model and
 * text, interleaved run by run so machine noise hits both alike. "before": batches of up to {@code batch} chunks
 * padded to the longest, denormals as they come; "after": only equal-length chunks share a call (no padding) and
 * denormals flush to zero, as the gateway now runs on CPU. Prints medians, the speed-up, and whether both produce
 * the same compressed text. Run by {@code bench/compress-bench.sh --compare-shapes}.
 *
 * <p>Usage: {@code BatchShapeBench <model-dir> <corpus-file> [threads] [batch] [sizes...]}
 */
public final class BatchShapeBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String corpus = Files.readString(Path.of(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : ClassifierModelLoader.CPU_MAX_BATCH;
        int[] sizes = args.length > 4 ? Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {512, 2048, 8192};
        ModelDirectory files = ModelDirectory.read(dir, new ObjectMapper());
        HfClassifierTokenizer hf = HfClassifierTokenizer.load(files);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        OnnxClassifier beforeModel = session(env, files, hf, threads, false);
        OnnxClassifier afterModel = session(env, files, hf, threads, true);
        Llmlingua2Compressor before = new Llmlingua2Compressor(hf, beforeModel, cl100k::countTokensOrdinary, batch,
                BatchShape.PADDED);
        Llmlingua2Compressor after = new Llmlingua2Compressor(hf, afterModel, cl100k::countTokensOrdinary, batch,
                BatchShape.EQUAL_LENGTH);
        CompressionOptions rate = CompressionOptions.builder().rate(0.5).forceTokens(List.of("\n")).build();
        System.out.printf("model %s (%s), ORT intra-op threads %d, max batch %d, %d cores%n", dir, files.familyName(),
                threads, batch, Runtime.getRuntime().availableProcessors());
        System.out.printf("%8s %16s %16s %9s %10s%n", "tokens", "before ms (p50)", "after ms (p50)", "speed-up",
                "same text");
        for (int size : sizes) {
            String text = CompressionBench.prefixOfTokens(corpus, size, cl100k);
            int runs = size >= 8192 ? 5 : 10;
            for (int i = 0; i < 2; i++) {
                before.compress(text, rate);
                after.compress(text, rate);
            }
            long[] a = new long[runs];
            long[] b = new long[runs];
            boolean same = true;
            for (int r = 0; r < runs; r++) {
                long t0 = System.nanoTime();
                String x = before.compress(text, rate).compressedPrompt();
                long t1 = System.nanoTime();
                String y = after.compress(text, rate).compressedPrompt();
                long t2 = System.nanoTime();
                a[r] = t1 - t0;
                b[r] = t2 - t1;
                same &= x.equals(y);
            }
            double ma = median(a) / 1e6;
            double mb = median(b) / 1e6;
            System.out.printf("%8d %16.1f %16.1f %8.2fx %10s%n", size, ma, mb, ma / mb, same ? "yes" : "NO");
        }
        beforeModel.close();
        afterModel.close();
        hf.close();
    }

    private static OnnxClassifier session(OrtEnvironment env, ModelDirectory files, HfClassifierTokenizer hf,
            int threads, boolean denormalsAsZero) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        if (denormalsAsZero) {
            options.addConfigEntry("session.set_denormal_as_zero", "1");
        }
        return OnnxClassifier.of(env, env.createSession(files.onnx().toString(), options), files.onnx(),
                hf.sequenceIds(), 1);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
