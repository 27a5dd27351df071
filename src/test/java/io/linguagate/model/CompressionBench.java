package io.linguagate.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.linguagate.lingua.BatchShape;
import io.linguagate.lingua.ClassifierTokenizer;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.KeepProbabilityModel;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TokenizedText;
import io.linguagate.lingua.TokenizerFamily;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Benchmark harness (not a test): time to compress 512 / 2k / 8k / 32k-token inputs with a real model directory,
 * split into tokenization (the classifier's tokenizer), ONNX inference, and everything else (target-LLM token
 * counting, word merge, threshold, text rebuild). Run by {@code bench/compress-bench.sh}.
 *
 * <p>Usage: {@code CompressionBench <model-dir> <corpus-file> [threads] [batch] [sizes...]}
 */
public final class CompressionBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CompressionBench <model-dir> <corpus-file> [threads] [max-batch] [sizes...]");
            System.exit(2);
        }
        DjlOffline.ensure();
        Path dir = Path.of(args[0]);
        String corpus = Files.readString(Path.of(args[1]));
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int maxBatch = args.length > 3 ? Integer.parseInt(args[3]) : ClassifierModelLoader.CPU_MAX_BATCH;
        int[] sizes = args.length > 4 ? Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {512, 2048, 8192, 32768};

        ModelDirectory files = ModelDirectory.read(dir, new ObjectMapper());
        HfClassifierTokenizer hf = HfClassifierTokenizer.load(files);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        // As the gateway runs on CPU (ClassifierModelLoader): denormals flushed to zero, equal-length batches.
        options.addConfigEntry("session.set_denormal_as_zero", "1");
        OnnxClassifier onnx = OnnxClassifier.of(env, env.createSession(files.onnx().toString(), options),
                files.onnx(), hf.sequenceIds(), 1);
        Encoding cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

        TimedTokenizer tokenizer = new TimedTokenizer(hf);
        TimedModel model = new TimedModel(onnx);
        Llmlingua2Compressor compressor = new Llmlingua2Compressor(tokenizer, model, cl100k::countTokensOrdinary,
                maxBatch, BatchShape.EQUAL_LENGTH);
        CompressionOptions rate = CompressionOptions.builder().rate(0.5).forceTokens(List.of("\n")).build();

        System.out.printf("model %s (%s), ORT intra-op threads %d, max batch %d, %d cores%n", dir, files.familyName(),
                threads, maxBatch, Runtime.getRuntime().availableProcessors());
        System.out.printf("%8s %8s %10s %10s %10s %10s %8s %10s %9s%n", "tokens", "cls-tok", "total ms",
                "tokenize", "inference", "other", "other%", "alloc MB", "kept");
        var threadsBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int size : sizes) {
            String text = prefixOfTokens(corpus, size, cl100k);
            int runs = size >= 32768 ? 3 : size >= 8192 ? 5 : 10;
            for (int i = 0; i < 2; i++) {
                compressor.compress(text, rate); // warm-up: JIT, ORT arena, word cache
            }
            long[] total = new long[runs];
            long[] tok = new long[runs];
            long[] inf = new long[runs];
            long[] alloc = new long[runs];
            int kept = 0;
            for (int r = 0; r < runs; r++) {
                tokenizer.nanos = 0;
                model.nanos = 0;
                long bytes = threadsBean.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                kept = compressor.compress(text, rate).compressedTokens();
                total[r] = System.nanoTime() - start;
                alloc[r] = threadsBean.getCurrentThreadAllocatedBytes() - bytes;
                tok[r] = tokenizer.nanos;
                inf[r] = model.nanos;
            }
            double t = median(total);
            double k = median(tok);
            double m = median(inf);
            double other = t - k - m;
            System.out.printf("%8d %8d %10.1f %10.1f %10.1f %10.1f %7.1f%% %10.1f %9d%n", cl100k.countTokensOrdinary(text),
                    hf.tokenize(text).size(), t / 1e6, k / 1e6, m / 1e6, other / 1e6, 100 * other / t,
                    median(alloc) / 1e6, kept);
        }
        onnx.close();
        hf.close();
    }

    /** The first {@code tokens} target-LLM tokens of the corpus (repeated as needed), decoded back to text. */
    static String prefixOfTokens(String corpus, int tokens, Encoding encoding) {
        IntArrayList all = encoding.encodeOrdinary(corpus);
        IntArrayList prefix = new IntArrayList(tokens);
        for (int i = 0; i < tokens; i++) {
            prefix.add(all.get(i % all.size()));
        }
        return encoding.decode(prefix);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /** Adds up time spent in the classifier's tokenizer. */
    private static final class TimedTokenizer implements ClassifierTokenizer {
        private final ClassifierTokenizer delegate;
        long nanos;

        TimedTokenizer(ClassifierTokenizer delegate) {
            this.delegate = delegate;
        }

        @Override
        public TokenizerFamily family() {
            return delegate.family();
        }

        @Override
        public TokenizedText tokenize(String text) {
            long start = System.nanoTime();
            try {
                return delegate.tokenize(text);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public boolean isSingleToken(String text) {
            long start = System.nanoTime();
            try {
                return delegate.isSingleToken(text);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        @Override
        public boolean isSpecial(int tokenId) {
            return delegate.isSpecial(tokenId);
        }

        @Override
        public OptionalInt placeholderId(String placeholder) {
            return delegate.placeholderId(placeholder);
        }
    }

    /** Adds up time spent in ONNX inference (tensor building and result reading included). */
    private static final class TimedModel implements KeepProbabilityModel {
        private final KeepProbabilityModel delegate;
        long nanos;

        TimedModel(KeepProbabilityModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<float[]> keepProbabilities(List<int[]> chunks) {
            long start = System.nanoTime();
            try {
                return new ArrayList<>(delegate.keepProbabilities(chunks));
            } finally {
                nanos += System.nanoTime() - start;
            }
        }
    }
}
