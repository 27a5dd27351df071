package io.linguagate.model.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A HuggingFace checkpoint directory: {@code config.json} plus the weights in {@code model.safetensors} or, for
 * sharded checkpoints, the files listed by {@code model.safetensors.index.json}. Tensors are looked up by their
 * encoder-relative name ({@code embeddings.word_embeddings.weight}) with or without the family's prefix
 * ({@code bert.} / {@code roberta.}), and their shape is checked against the config.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String SAFETENSORS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";

    /**
     * A tensor found in the checkpoint.
     *
     * @param file   the safetensors file holding it
     * @param tensor its header entry (its name is the name as stored)
     */
    public record Weight(SafetensorsFile file, SafetensorsFile.Tensor tensor) {

        /** The name as stored in the checkpoint. */
        public String name() {
            return tensor.name();
        }

        /** The whole tensor as float32 on the heap. */
        public float[] floats() {
            return file.floats(tensor);
        }
    }

    private final Path dir;
    private final CheckpointConfig config;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final String weightsName;

    private Checkpoint(Path dir, CheckpointConfig config, List<SafetensorsFile> files,
            Map<String, SafetensorsFile> fileOf, String weightsName) {
        this.dir = dir;
        this.config = config;
        this.files = files;
        this.fileOf = fileOf;
        this.weightsName = weightsName;
    }

    /** Reads {@code config.json} and opens the safetensors weights of {@code dir}. */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("Checkpoint directory " + dir + " does not exist or is not a directory");
        }
        CheckpointConfig config = CheckpointConfig.read(dir.resolve(CONFIG));
        List<Path> paths;
        String weightsName;
        Path single = dir.resolve(SAFETENSORS);
        Path index = dir.resolve(SAFETENSORS_INDEX);
        if (Files.isRegularFile(single)) {
            paths = List.of(single);
            weightsName = single.toString();
        } else if (Files.isRegularFile(index)) {
            paths = shards(index);
            weightsName = index.toString();
        } else {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " It has pytorch_model.bin, a Python pickle the gateway does not read: download the "
                            + "checkpoint's model.safetensors instead."
                    : "";
            throw new ModelLoadException("Checkpoint directory " + dir + " has no " + SAFETENSORS + " (nor "
                    + SAFETENSORS_INDEX + ")." + hint);
        }
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> fileOf = new HashMap<>();
        try {
            for (Path p : paths) {
                SafetensorsFile f = SafetensorsFile.open(p);
                files.add(f);
                for (SafetensorsFile.Tensor t : f.tensors()) {
                    SafetensorsFile other = fileOf.putIfAbsent(t.name(), f);
                    if (other != null) {
                        throw new ModelLoadException("Tensor \"" + t.name() + "\" is in both " + other.file()
                                + " and " + f.file());
                    }
                }
            }
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
        return new Checkpoint(dir, config, List.copyOf(files), fileOf, weightsName);
    }

    private static List<Path> shards(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(index));
        } catch (IOException e) {
            throw new ModelLoadException(index + " is not valid JSON: " + SafetensorsFile.firstLine(e.getMessage()));
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelLoadException(index + " has no \"weight_map\" object naming the shard files");
        }
        Set<Path> shards = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = map.elements(); it.hasNext();) {
            JsonNode name = it.next();
            Path shard = index.resolveSibling(name.asText());
            if (!name.isTextual() || !shard.normalize().getParent().equals(index.normalize().getParent())) {
                throw new ModelLoadException(index + ": weight_map entry " + name + " is not a file name in the "
                        + "checkpoint directory");
            }
            if (!Files.isRegularFile(shard)) {
                throw new ModelLoadException("Missing " + shard + " (a shard listed in " + index + ")");
            }
            shards.add(shard);
        }
        return List.copyOf(shards);
    }

    /** The checked {@code config.json}. */
    public CheckpointConfig config() {
        return config;
    }

    /** The checkpoint directory. */
    public Path dir() {
        return dir;
    }

    /** The safetensors files (one, or the shards). */
    public List<SafetensorsFile> files() {
        return files;
    }

    /**
     * An encoder tensor, {@code name} relative to the encoder ({@code encoder.layer.0.output.dense.weight}): stored
     * with the family's prefix or without it. LayerNorm weights may also be stored as {@code gamma}/{@code beta}
     * (TensorFlow-converted checkpoints).
     *
     * @throws ModelLoadException when missing or not of {@code shape}
     */
    public Weight encoder(String name, long... shape) {
        List<String> candidates = new ArrayList<>();
        String prefix = config.family().tensorPrefix();
        candidates.add(prefix + name);
        candidates.add(name);
        if (name.endsWith("LayerNorm.weight") || name.endsWith("LayerNorm.bias")) {
            String legacy = name.endsWith(".weight") ? name.replaceFirst("\\.weight$", ".gamma")
                    : name.replaceFirst("\\.bias$", ".beta");
            candidates.add(prefix + legacy);
            candidates.add(legacy);
        }
        return find(candidates, shape);
    }

    /** A tensor stored under exactly {@code name} (the classification head: {@code classifier.weight}). */
    public Weight head(String name, long... shape) {
        return find(List.of(name), shape);
    }

    private Weight find(List<String> candidates, long[] shape) {
        for (String candidate : candidates) {
            SafetensorsFile f = fileOf.get(candidate);
            if (f != null) {
                SafetensorsFile.Tensor t = f.tensor(candidate).orElseThrow();
                if (!Arrays.equals(t.shape(), shape)) {
                    throw new ModelLoadException(f.file() + ": tensor \"" + candidate + "\" has shape "
                            + t.shapeString() + " but " + config.file().getFileName() + " (" + config.describe()
                            + ") expects " + Arrays.toString(shape));
                }
                if (!t.dtype().readableAsFloat()) {
                    throw new ModelLoadException(f.file() + ": tensor \"" + candidate + "\" has dtype " + t.dtype()
                            + "; only F32, F16, BF16 and F64 weights can be converted");
                }
                return new Weight(f, t);
            }
        }
        String head = candidates.get(0).startsWith("classifier.")
                ? " A checkpoint without it is the bare encoder, not a token classifier." : "";
        throw new ModelLoadException(weightsName + " has no tensor \"" + candidates.get(0) + "\""
                + (candidates.size() > 1 ? " (also looked for " + candidates.subList(1, candidates.size()) + ")" : "")
                + "; expected shape " + Arrays.toString(shape) + " for " + config.describe() + "." + head);
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
