package io.linguagate.lingua;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * LLMLingua-2 prompt compression: classify every token as keep/drop with a token classifier,
 * merge tokens into words, keep the words above a per-chunk percentile so that about
 * {@code rate} of the target-LLM tokens remain, and rebuild the text from the original.
 *
 * <p>{@link #compressAll} runs several independent jobs (each with its own contexts and options,
 * e.g. the segments of one chat request at their own rates) through <em>one</em> batched model
 * pass; {@link #compress} is the single-job form. Same input, same output, byte for byte.
 * Thread-safe when its three collaborators are.
 *
 * <p>Deliberate differences from the reference {@code compress_prompt_llmlingua2}; decisions
 * (which words are kept) follow the reference, text assembly is fixed:
 * <ul>
 *   <li>Chunks are token-index ranges of one tokenization: never re-tokenized, never truncated,
 *       at most {@value #MAX_CHUNK_TOKENS} tokens, so {@code [CLS] chunk [SEP]} always fits 512
 *       (the reference can build 511-token chunks and then loses SEP or tokens), see {@link Chunker}.</li>
 *   <li>Output text is copied from the original by the kept words' offsets (casing, accents, CJK,
 *       newlines intact; no "time.Development" chunk glue; no spaces between CJK characters);
 *       the separator rule is on {@link TextRebuilder}.</li>
 *   <li>The model runs once per chunk; the context filter and the token filter share its output
 *       (the reference runs the model twice when the context filter is on).</li>
 *   <li>The context score uses each token's own unforced probability (the reference reads a stale
 *       variable), see {@link WordMerger}; contexts without words have no score and are dropped
 *       unless forced, see {@link ContextFilter}.</li>
 *   <li>After the context filter, a token target is divided by the kept contexts' original token
 *       count (the reference counts re-decoded chunk strings).</li>
 *   <li>Empty inputs never divide by zero; when nothing needs compressing (rate 1, or a token
 *       target above the input) the model is not called and the contexts come back unchanged
 *       (the reference returns re-decoded text, e.g. lower-cased by an uncased tokenizer).</li>
 *   <li>Word labels and the words view use the words' original text (no {@code ▁}, no
 *       {@code [UNK]}), including when no model ran (the reference falls back to a regex split).</li>
 *   <li>Placeholders are atomic during substitution, see {@link PlaceholderText}.</li>
 *   <li>Percentile indexes above 100 (a token target of 0 after the context filter) are capped
 *       at 100 instead of raising.</li>
 *   <li>XLM-RoBERTa chunks are framed {@code <s> chunk </s>}, as the model was trained; the reference frames them
 *       with {@code <unk>} by a bug (microsoft/LLMLingua issue #181), see the model layer's {@code SequenceIds}.</li>
 *   <li>Unknown-token pieces ({@code [UNK]}/{@code <unk>}: emoji, rare CJK with the BERT vocabulary) are words,
 *       scored and kept or dropped like any other, copied from the source; the reference silently deletes that
 *       text from its output.</li>
 *   <li>Dropped punctuation between two kept pieces never glues them into a word the source did not have: a space
 *       goes between (except in scripts written without spaces), see {@link TextRebuilder}.</li>
 * </ul>
 * LinguaGate extensions, unused unless a job asks: a {@link TextGuide} forces spans (kept verbatim, probability 1
 * in the percentile, as force tokens are) and gives regions of one text their own rates within one model pass.
 */
public final class Llmlingua2Compressor {

    /** Model positions (512) minus CLS and SEP. */
    public static final int MAX_CHUNK_TOKENS = 510;

    /** Distinct words whose target-LLM token count is remembered across calls. */
    private static final int WORD_CACHE_ENTRIES = 50_000;

    /** The reference's batch size. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 50;

    private final ClassifierTokenizer tokenizer;
    private final ChunkScheduler batches;
    private final TargetTokenCounter counter;
    private final int window;
    private final WordTokenCache wordCounts;

    public Llmlingua2Compressor(ClassifierTokenizer tokenizer, KeepProbabilityModel model,
            TargetTokenCounter counter) {
        this(tokenizer, model, counter, DEFAULT_MAX_BATCH_SIZE);
    }

    /** @param maxBatchSize most chunks per model call */
    public Llmlingua2Compressor(ClassifierTokenizer tokenizer, KeepProbabilityModel model,
            TargetTokenCounter counter, int maxBatchSize) {
        this(tokenizer, model, counter, maxBatchSize, BatchShape.PADDED);
    }

    /** @param shape how chunks share a model call (see {@link BatchShape}) */
    public Llmlingua2Compressor(ClassifierTokenizer tokenizer, KeepProbabilityModel model,
            TargetTokenCounter counter, int maxBatchSize, BatchShape shape) {
        this(tokenizer, model, counter, maxBatchSize, MAX_CHUNK_TOKENS, shape);
    }

    /** Tests use a small window to exercise chunk joins with short texts. */
    Llmlingua2Compressor(ClassifierTokenizer tokenizer, KeepProbabilityModel model, TargetTokenCounter counter,
            int maxBatchSize, int window) {
        this(tokenizer, model, counter, maxBatchSize, window, BatchShape.PADDED);
    }

    Llmlingua2Compressor(ClassifierTokenizer tokenizer, KeepProbabilityModel model, TargetTokenCounter counter,
            int maxBatchSize, int window, BatchShape shape) {
        this(tokenizer, new ChunkScheduler(model, maxBatchSize, shape, 1, Duration.ZERO, BatchObserver.NONE),
                counter, window);
    }

    /**
     * A compressor whose model calls are {@code batches}' (shared with every other compressor of the same model, so
     * concurrent jobs share batches).
     */
    public Llmlingua2Compressor(ClassifierTokenizer tokenizer, ChunkScheduler batches, TargetTokenCounter counter) {
        this(tokenizer, batches, counter, MAX_CHUNK_TOKENS);
    }

    Llmlingua2Compressor(ClassifierTokenizer tokenizer, ChunkScheduler batches, TargetTokenCounter counter,
            int window) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.counter = Objects.requireNonNull(counter, "counter");
        if (window < 1 || window > MAX_CHUNK_TOKENS) {
            throw new IllegalArgumentException("window must be in [1, " + MAX_CHUNK_TOKENS + "], got " + window);
        }
        this.window = window;
        this.wordCounts = new WordTokenCache(counter, WORD_CACHE_ENTRIES);
    }

    /** Compresses one text. */
    public CompressionResult compress(String text, CompressionOptions options) {
        return compressAll(List.of(CompressionJob.of(text, options))).get(0);
    }

    /** Compresses a list of contexts (joined with {@code "\n\n"} in the result). */
    public CompressionResult compress(List<String> contexts, CompressionOptions options) {
        return compressAll(List.of(new CompressionJob(contexts, options))).get(0);
    }

    /**
     * Compresses independent jobs with one shared, batched model pass (whose batches may also carry the chunks of
     * other calls running at the same time, see {@link ChunkScheduler}).
     *
     * @return one result per job, in order
     */
    public List<CompressionResult> compressAll(List<CompressionJob> jobs) {
        return compressAll(jobs, () -> false);
    }

    /**
     * As {@link #compressAll(List)}, for work that may run behind: while {@code behind} says so, its chunks yield
     * the model to other work, one chunk at a time (see {@link ChunkScheduler}).
     */
    public List<CompressionResult> compressAll(List<CompressionJob> jobs, BooleanSupplier behind) {
        Objects.requireNonNull(jobs, "jobs");
        List<JobRun> runs = new ArrayList<>(jobs.size());
        for (CompressionJob job : jobs) {
            runs.add(JobRun.prepare(Objects.requireNonNull(job, "job"), tokenizer, counter, window));
        }
        List<ChunkTask> tasks = new ArrayList<>();
        for (JobRun run : runs) {
            run.addTasks(tasks);
        }
        batches.run(tasks, behind);
        List<CompressionResult> results = new ArrayList<>(runs.size());
        for (JobRun run : runs) {
            results.add(run.finish(counter, wordCounts));
        }
        return results;
    }
}
