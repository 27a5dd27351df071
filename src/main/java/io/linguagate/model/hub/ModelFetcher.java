package io.linguagate.model.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Fetches a model repository's files from the Hugging Face hub (or a server with the same URL layout) into a local
 * cache, and serves later calls from that cache without the network.
 *
 * <p>What is fetched, from {@code {hubUrl}/{modelId}/resolve/{revision}/{file}}: {@code config.json},
 * {@code tokenizer.json}, and the weights: {@code onnx/model.onnx} when the repository has it (then
 * {@code model.onnx} at the top is tried), with its external-data file {@code model.onnx_data} next to it when
 * present; otherwise {@code model.safetensors}. A 404 on an ONNX candidate is how its absence is learnt. Once the hub
 * names the commit it serves ({@code X-Repo-Commit}), the remaining files are requested at that commit, so one fetch
 * never mixes two commits of a moving branch.
 *
 * <p>Cache: see {@link HubSource#modelDir()} for the layout. Each file is downloaded to {@code {file}.part} (with a
 * small {@code {file}.part.json} recording the hub's ETag and the size), fsynced and renamed into place atomically.
 * An interrupted download resumes from its {@code .part} with a {@code Range} request, provided the hub still
 * describes the file the same way. A manifest ({@value CacheManifest#FILE_NAME}, see {@link CacheManifest}) is
 * written last; only a directory with that manifest and every file at its recorded size is used, and then without
 * any request. Nothing else in a cache directory is ever trusted. Delete the directory to fetch a branch's newer
 * commit.
 *
 * <p>Checks: sizes against {@code X-Linked-Size}, {@code Content-Length} and {@code Content-Range}; large files
 * against the SHA-256 the hub gives as {@code X-Linked-Etag} (when it is a 64-hex value). A mismatch deletes the
 * partial file and fails.
 *
 * <p>Concurrency: one fetch at a time in a process; across processes sharing a cache volume, an OS lock on
 * {@value #LOCK_FILE} in the model's directory makes the second one wait and then find the complete manifest.
 *
 * <p>Every failure is a {@link ModelLoadException} with one line naming the model, the file and the problem. The
 * token never appears in a message or a log line.
 */
public final class ModelFetcher {

    private static final Logger LOG = Logger.getLogger(ModelFetcher.class);

    static final String CONFIG = "config.json";
    static final String TOKENIZER = "tokenizer.json";
    /** ONNX weight locations, in order of preference. */
    static final List<String> ONNX_CANDIDATES = List.of("onnx/model.onnx", "model.onnx");
    /** Suffix of an ONNX graph's external-data file, next to the graph. */
    static final String EXTERNAL_DATA_SUFFIX = "_data";
    static final String SAFETENSORS = "model.safetensors";
    static final String LOCK_FILE = ".linguagate-fetch.lock";
    static final String CACHE_DIR_ADVICE = "set " + HubSource.CACHE_DIR_KEY + " (env " + HubSource.CACHE_DIR_ENV
            + ") to a writable directory with room for the model";

    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(2);

    private static final ReentrantLock PROCESS_LOCK = new ReentrantLock();

    private final int attempts;
    private final Duration retryBackoff;
    private final boolean verifySha256;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** {@value #DEFAULT_ATTEMPTS} attempts per file, 2 s back-off growing linearly, SHA-256 checks on. */
    public ModelFetcher() {
        this(DEFAULT_ATTEMPTS, DEFAULT_RETRY_BACKOFF, true);
    }

    /**
     * @param attempts     tries per file for transient failures (a transfer that breaks off or stalls, 429, 5xx,
     *                     an expired storage link), each resuming where the last one stopped; at least 1. A hub
     *                     that cannot be connected to at all fails at once.
     * @param retryBackoff pause before the second try; the n-th retry waits n times as long
     * @param verifySha256 check files whose {@code X-Linked-Etag} is a SHA-256 against it
     */
    public ModelFetcher(int attempts, Duration retryBackoff, boolean verifySha256) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.attempts = attempts;
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
        this.verifySha256 = verifySha256;
    }

    /**
     * The model's files, from the cache when a complete earlier fetch is there (no network), else from the hub.
     *
     * @throws ModelLoadException naming the model, the file and the problem
     */
    public FetchedModel fetch(HubSource source) {
        Objects.requireNonNull(source, "source");
        Optional<FetchedModel> hit = cached(source, true);
        if (hit.isPresent()) {
            return hit.get();
        }
        Path dir = source.modelDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ModelLoadException("Model " + source.describe() + ": cannot create the model cache directory "
                    + dir + " (" + reason(e) + "); " + CACHE_DIR_ADVICE);
        }
        try {
            PROCESS_LOCK.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelLoadException("Model " + source.describe() + ": interrupted before fetching");
        }
        try (FetchLock lock = FetchLock.acquire(dir.resolve(LOCK_FILE), source.describe())) {
            // Another process (or thread) may have completed it while this one waited.
            hit = cached(source, false);
            if (hit.isPresent()) {
                LOG.infof("Model %s: another process completed the fetch into %s; using it", source.describe(), dir);
                return hit.get();
            }
            try {
                Files.deleteIfExists(dir.resolve(CacheManifest.FILE_NAME));
            } catch (IOException e) {
                throw new ModelLoadException("Model " + source.describe() + ": cannot replace the stale manifest in "
                        + dir + " (" + reason(e) + "); " + CACHE_DIR_ADVICE);
            }
            LOG.infof("Model %s: fetching from %s into %s", source.describe(), source.hubUrl(), dir);
            try (FetchRun run = new FetchRun(source, dir, json, attempts, retryBackoff, verifySha256)) {
                return run.fetch();
            }
        } finally {
            PROCESS_LOCK.unlock();
        }
    }

    /**
     * The complete cached copy of {@code source}'s model, if there is one; never touches the network or writes
     * anything.
     */
    public Optional<FetchedModel> cached(HubSource source) {
        return cached(Objects.requireNonNull(source, "source"), false);
    }

    private Optional<FetchedModel> cached(HubSource source, boolean log) {
        Path dir = source.modelDir();
        Optional<CacheManifest> manifest;
        try {
            manifest = CacheManifest.read(dir, json);
        } catch (IOException e) {
            if (log) {
                LOG.warnf("Model %s: the manifest in %s is unreadable (%s); fetching again", source.describe(), dir,
                        reason(e));
            }
            return Optional.empty();
        }
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        String problem = manifest.get().problem(dir, source);
        if (problem != null) {
            if (log) {
                LOG.warnf("Model %s: the cached copy in %s is not complete (%s); fetching again",
                        source.describe(), dir, problem);
            }
            return Optional.empty();
        }
        FetchedModel model = manifest.get().toFetched(dir, true);
        if (log) {
            LOG.infof("Model %s: using the complete copy in %s (commit %s, %s weights); the hub is not contacted",
                    source.describe(), dir, model.commit().orElse("unknown"), model.weights());
        }
        return Optional.of(model);
    }

    /** An exception's message for one line of text, or its type when it has none. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
