package io.linguagate.model.hub;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.hub.FetchedModel.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The record of a complete fetch, {@value #FILE_NAME} in the model's cache directory. It is written last, after every
 * file it names has been moved into place, so its presence (with every file at its recorded size) is what makes a
 * cache directory trusted. Example:
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "modelId" : "microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank",
 *   "revision" : "main",
 *   "hubUrl" : "https://huggingface.co",
 *   "commit" : "0123456789abcdef0123456789abcdef01234567",
 *   "weights" : "SAFETENSORS",
 *   "weightsFile" : "model.safetensors",
 *   "completedAt" : "2026-11-02T10:15:30Z",
 *   "files" : [ { "path" : "config.json", "size" : 1024, "etag" : "\"...\"" }, ... ]
 * }
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CacheManifest(int format, String modelId, String revision, String hubUrl, String commit, Weights weights,
        String weightsFile, String completedAt, List<Entry> files) {

    static final String FILE_NAME = ".linguagate-complete.json";
    static final int FORMAT = 1;

    /** One file: path relative to the model directory ('/' separators), size in bytes, the hub's ETag if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String path, long size, String etag) {
    }

    /** The manifest in {@code dir}; empty when there is none. Throws when one is there but unreadable. */
    static Optional<CacheManifest> read(Path dir, ObjectMapper json) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(json.readValue(bytes, CacheManifest.class));
    }

    /** Why this manifest cannot be trusted for {@code source} in {@code dir}, or {@code null} when it can. */
    String problem(Path dir, HubSource source) {
        if (format != FORMAT) {
            return "manifest format " + format + ", expected " + FORMAT;
        }
        if (!source.modelId().equals(modelId) || !source.revision().equals(revision)) {
            return "manifest is for " + modelId + "@" + revision;
        }
        if (weights == null || weightsFile == null || files == null) {
            return "manifest is incomplete";
        }
        List<String> paths = new ArrayList<>();
        for (Entry entry : files) {
            if (entry == null || !safeRelative(entry.path()) || entry.size() < 0) {
                return "manifest names an invalid file";
            }
            paths.add(entry.path());
            Path file = resolve(dir, entry.path());
            try {
                if (!Files.isRegularFile(file)) {
                    return entry.path() + " is missing";
                }
                long size = Files.size(file);
                if (size != entry.size()) {
                    return entry.path() + " has " + size + " bytes, the manifest recorded " + entry.size();
                }
            } catch (IOException e) {
                return entry.path() + " is unreadable (" + e.getMessage() + ")";
            }
        }
        for (String required : List.of(ModelFetcher.CONFIG, ModelFetcher.TOKENIZER, weightsFile)) {
            if (!paths.contains(required)) {
                return "manifest does not list " + required;
            }
        }
        return null;
    }

    FetchedModel toFetched(Path dir, boolean fromCache) {
        return new FetchedModel(dir, weights, resolve(dir, weightsFile), files.stream().map(Entry::path).toList(),
                Optional.ofNullable(commit), fromCache);
    }

    /** Writes the manifest into {@code dir} through a temporary file, fsync and an atomic rename. */
    void write(Path dir, ObjectMapper json) throws IOException {
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        FileOps.forceFile(tmp);
        FileOps.atomicMove(tmp, dir.resolve(FILE_NAME));
    }

    /** A repository-relative path ('/' separated) resolved against {@code dir}. */
    static Path resolve(Path dir, String relative) {
        Path path = dir;
        for (String segment : relative.split("/")) {
            path = path.resolve(segment);
        }
        return path;
    }

    static boolean safeRelative(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
