package io.linguagate.model;

import io.linguagate.lingua.ChunkScheduler;
import io.linguagate.lingua.Llmlingua2Compressor;
import io.linguagate.lingua.TargetTokenCounter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A loaded, warmed-up LLMLingua-2 classifier: its tokenizer and ONNX session, the batches concurrent requests share, and one compressor per target-LLM
 * encoding (each remembers word token counts for its own encoding). Closed on shutdown.
 */
public final class ClassifierModel implements AutoCloseable {

    private final ModelDirectory files;
    private final HfClassifierTokenizer tokenizer;
    private final OnnxClassifier classifier;
    private final ExecutionProvider provider;
    private final ChunkScheduler batches;
    private final ConcurrentMap<String, Llmlingua2Compressor> compressors = new ConcurrentHashMap<>();

    ClassifierModel(ModelDirectory files, HfClassifierTokenizer tokenizer, OnnxClassifier classifier,
            ExecutionProvider provider, ChunkScheduler batches) {
        this.files = files;
        this.tokenizer = tokenizer;
        this.classifier = classifier;
        this.provider = provider;
        this.batches = batches;
    }

    /**
     * The compressor counting target tokens with {@code counter}, which {@code encodingName} identifies. Every
     * compressor of this model shares its batches.
     */
    public Llmlingua2Compressor compressor(String encodingName, TargetTokenCounter counter) {
        return compressors.computeIfAbsent(encodingName,
                name -> new Llmlingua2Compressor(tokenizer, batches, counter));
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
