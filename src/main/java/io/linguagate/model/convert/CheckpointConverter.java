package io.linguagate.model.convert;

import io.linguagate.model.ModelLoadException;
import io.linguagate.model.convert.ConversionOptions.ExternalData;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Converts a HuggingFace LLMLingua-2 checkpoint directory ({@code config.json} + {@code model.safetensors}) into
 * the ONNX token classifier the gateway runs, in Java, with no Python.
 *
 * <p>The output is written atomically: to temporary files in the output directory, flushed to disk, then renamed
 * over {@code model.onnx} (and {@code model.onnx_data} when the weights go to external data). A failed or
 * interrupted conversion leaves any previous model untouched and no partial file behind. Weights stream from the
 * memory-mapped checkpoint into the file; the heap holds one transposed matrix at a time at most.
 */
public final class CheckpointConverter {

    private static final Logger LOG = Logger.getLogger(CheckpointConverter.class);
    /** Suffix of the external data file: {@code model.onnx} → {@code model.onnx_data}. */
    public static final String EXTERNAL_DATA_SUFFIX = "_data";

    /**
     * What a conversion wrote.
     *
     * @param onnx              the model file
     * @param externalData      the weights file next to it, when external data was used
     * @param onnxBytes         size of the model file
     * @param externalDataBytes size of the weights file (0 without)
     * @param config            the checkpoint's architecture
     * @param options           the options used
     * @param elapsed           wall time of the conversion
     */
    public record Result(Path onnx, Optional<Path> externalData, long onnxBytes, long externalDataBytes,
            CheckpointConfig config, ConversionOptions options, Duration elapsed) {
    }

    private CheckpointConverter() {
    }

    /** The external data file that goes with {@code onnx}: {@code model.onnx_data} next to {@code model.onnx}. */
    public static Path externalDataPath(Path onnx) {
        return onnx.resolveSibling(onnx.getFileName() + EXTERNAL_DATA_SUFFIX);
    }

    /**
     * Converts {@code checkpointDir} to {@code outputOnnx} (its directory is created if needed).
     *
     * @throws ModelLoadException when the checkpoint is unusable (the message names the file or tensor and the
     *                            problem) or the output cannot be written
     */
    public static Result convert(Path checkpointDir, Path outputOnnx, ConversionOptions options) {
        return convert(checkpointDir, outputOnnx, options, OnnxModelWriter.INLINE_LIMIT);
    }

    /** As {@link #convert(Path, Path, ConversionOptions)}, switching to external data above {@code inlineLimit}. */
    static Result convert(Path checkpointDir, Path outputOnnx, ConversionOptions options, long inlineLimit) {
        long start = System.nanoTime();
        Path out = outputOnnx.toAbsolutePath().normalize();
        Path dir = out.getParent();
        Path data = externalDataPath(out);
        try (Checkpoint checkpoint = Checkpoint.open(checkpointDir)) {
            TokenClassifierGraph graph = TokenClassifierGraph.of(checkpoint, options);
            long inline = graph.inlineSize();
            boolean external = switch (options.externalData()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case AUTO -> inline > inlineLimit;
            };
            if (!external && inline > inlineLimit) {
                throw new ModelLoadException("Converting " + checkpointDir + " gives a " + inline + "-byte model, "
                        + "over the " + inlineLimit + "-byte limit for a single protobuf file (2 GiB at most), but "
                        + "external data is off (" + ExternalData.NEVER + ")");
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ModelLoadException("Cannot create " + dir + " for the converted model: " + e);
            }
            String tag = ".tmp-" + UUID.randomUUID();
            Path tmpOnnx = dir.resolve(out.getFileName() + tag);
            Path tmpData = dir.resolve(data.getFileName() + tag);
            long[] sizes;
            try {
                sizes = graph.write(external, tmpOnnx, tmpData, data.getFileName().toString());
                if (external) {
                    move(tmpData, data);
                }
                move(tmpOnnx, out);
                if (!external) {
                    // A previous conversion's weights would be stale now; nothing refers to them any more.
                    Files.deleteIfExists(data);
                }
            } catch (IOException e) {
                throw new ModelLoadException("Cannot write " + out + (external ? " and " + data : "") + ": " + e);
            } finally {
                deleteQuietly(tmpOnnx);
                deleteQuietly(tmpData);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            CheckpointConfig config = checkpoint.config();
            LOG.infof("Converted %s (%s) to %s (%s, %d MB%s) in %d ms", checkpointDir, config.describe(), out,
                    options.describe(), sizes[0] >> 20, external ? " + " + (sizes[1] >> 20) + " MB external data" : "",
                    elapsed.toMillis());
            return new Result(out, external ? Optional.of(data) : Optional.empty(), sizes[0], sizes[1], config,
                    options, elapsed);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temporary file is harmless; the real outputs are in place or untouched.
        }
    }
}
