package io.linguagate.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.linguagate.config.ModelConfig;
import io.linguagate.lingua.BatchObserver;
import io.linguagate.lingua.BatchShape;
import io.linguagate.lingua.ChunkScheduler;
import io.linguagate.lingua.Llmlingua2Compressor;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Builds a {@link ClassifierModel} from a checked {@link ModelDirectory}: tokenizer, ONNX session on the chosen
 * device, then a warm-up inference that also proves the tokenizer and the model agree (the highest token id must
 * have an embedding row). Every expected failure is a {@link ModelLoadException} naming the file at fault.
 */
public final class ClassifierModelLoader {

    private static final Logger LOG = Logger.getLogger(ClassifierModelLoader.class);

    /** CPU batches stay small: no throughput gain from larger ones, and attention memory grows with the batch. */
    static final int CPU_MAX_BATCH = 8;

    private ClassifierModelLoader() {
    }

    public static ClassifierModel load(ModelDirectory files, ModelConfig config) {
        return load(files, config, BatchObserver.NONE);
    }

    /** @param observer told about every model call (metrics) */
    public static ClassifierModel load(ModelDirectory files, ModelConfig config, BatchObserver observer) {
        HfClassifierTokenizer tokenizer = HfClassifierTokenizer.load(files);
        try {
            int tokens = tokenizer.vocabularySize();
            if (files.vocabSize().isPresent() && tokens > files.vocabSize().getAsInt()) {
                throw new ModelLoadException(files.tokenizer() + " has " + tokens + " tokens (with the [NEWi] "
                        + "placeholders) but " + files.config() + " declares vocab_size "
                        + files.vocabSize().getAsInt() + ": the tokenizer and the model come from different "
                        + "checkpoints");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "linguagate");
            ExecutionProvider provider;
            OrtSession session;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(optLevel(config.optimization()));
                options.setIntraOpNumThreads(config.intraOpThreads().orElse(Runtime.getRuntime().availableProcessors()));
                options.setInterOpNumThreads(1);
                provider = ExecutionProvider.choose(config.device(), config.cudaDeviceId(), options);
                if (!provider.cuda()) {
                    // Denormal floats are slow on x86 CPUs and change no label (checked on the test models).
                    options.addConfigEntry("session.set_denormal_as_zero", "1");
                }
                session = env.createSession(files.onnx().toString(), options);
            } catch (OrtException e) {
                throw new ModelLoadException(files.onnx() + " cannot be loaded by ONNX Runtime: " + e.getMessage());
            }
            OnnxClassifier classifier = OnnxClassifier.of(env, session, files.onnx(), tokenizer.sequenceIds(),
                    config.concurrentInferences());
            try {
                warmUp(files, classifier, tokens);
            } catch (RuntimeException e) {
                classifier.close();
                throw e;
            }
            int maxBatch = config.maxBatchSize().orElse(provider.cuda()
                    ? Llmlingua2Compressor.DEFAULT_MAX_BATCH_SIZE : CPU_MAX_BATCH);
            BatchShape shape = switch (config.batchShape()) {
                case PADDED -> BatchShape.PADDED;
                case EQUAL_LENGTH -> BatchShape.EQUAL_LENGTH;
                case AUTO -> provider.cuda() ? BatchShape.PADDED : BatchShape.EQUAL_LENGTH;
            };
            LOG.infof("Inference on %s; batches of up to %d chunks, %s, shared by concurrent requests (window %d ms)",
                    provider.reason(), maxBatch, shape == BatchShape.PADDED ? "padded" : "of equal length only "
                            + "(no padding)", config.batchWindow().toMillis());
            ChunkScheduler batches = new ChunkScheduler(classifier, maxBatch, shape, config.concurrentInferences(),
                    config.batchWindow(), observer);
            return new ClassifierModel(files, tokenizer, classifier, provider, batches);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * One full-length chunk ending in the highest token id: allocates the session's buffers before the first
     * request, and fails here (not on a user's request) when the embedding matrix is smaller than the vocabulary.
     */
    private static void warmUp(ModelDirectory files, OnnxClassifier classifier, int vocabularySize) {
        int[] chunk = new int[Llmlingua2Compressor.MAX_CHUNK_TOKENS];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = i % vocabularySize;
        }
        chunk[chunk.length - 1] = vocabularySize - 1;
        float[] keep;
        try {
            keep = classifier.keepProbabilities(List.of(chunk)).get(0);
        } catch (InferenceException e) {
            throw new ModelLoadException(files.onnx() + " failed its warm-up inference with token ids up to "
                    + (vocabularySize - 1) + " (the size of " + files.tokenizer() + " with placeholders): "
                    + e.getMessage() + ". Do the tokenizer and the model come from the same checkpoint?");
        }
        for (float p : keep) {
            if (Float.isNaN(p)) {
                throw new ModelLoadException(files.onnx() + " returned NaN logits on its warm-up inference");
            }
        }
    }

    private static OrtSession.SessionOptions.OptLevel optLevel(ModelConfig.Optimization level) {
        return switch (level) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        };
    }
}
