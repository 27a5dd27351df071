package io.linguagate.model;

import io.linguagate.lingua.BatchShape;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A loaded, warmed-up LLMLingua-2 classifier: its tokenizer and ONNX session, and one compressor per target-LLM
 * encoding (each remembers word token counts for its own encoding). Closed on shutdown.
 */
public final class ClassifierModel implements AutoCloseable {

    private final ModelDirectory files;
    private final HfClassifierTokenizer tokenizer;
    private final OnnxClassifier classifier;
    private final ExecutionProvider provider;
    private final int maxBatchSize;
    private final BatchShape shape;
    private final ConcurrentMap<String, Llmlingua2Compressor> compressors = new ConcurrentHashMap<>();

    ClassifierModel(ModelDirectory files, HfClassifierTokenizer tokenizer, OnnxClassifier classifier,
            ExecutionProvider provider, int maxBatchSize, BatchShape shape) {
        this.files = files;
        this.shape = shape;
        this.tokenizer = tokenizer;
        this.classifier = classifier;
        this.provider = provider;
        this.maxBatchSize = maxBatchSize;
    }

    /** The compressor counting target tokens with {@code counter}, which {@code encodingName} identifies. */
    public Llmlingua2Compressor compressor(String encodingName, TargetTokenCounter counter) {
        return compressors.computeIfAbsent(encodingName,
                name -> new Llmlingua2Compressor(tokenizer, classifier, counter, maxBatchSize, shape));
    }

    /** The model's files. */
    public ModelDirectory files() {
        return files;
    }

    /** The token classifier (for callers that batch themselves, and tests). */
    OnnxClassifier classifier() {
        return classifier;
    }

    /** Whether inference runs on CUDA. */
    public boolean onCuda() {
        return provider.cuda();
    }

    @Override
    public void close() {
        classifier.close();
        tokenizer.close();
    }
}
