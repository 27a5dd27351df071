package io.linguagate.bench;

import io.linguagate.testmodel.TinyModelDir;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the test-size model (the tests' tiny cased BERT: a few dozen words, a per-token-id logit table, with the
 * {@code [NEW0]..[NEW99]} placeholders the gateway's warm-up needs) as a model directory the gateway can load, for
 * {@code bench/chat-bench.sh tiny}. Its inference costs next to nothing, so a chat benchmark with it measures the
 * gateway's compression path around the model: policy, token counting, segmenting, tokenization, cache, rewrite.
 *
 * <p>Usage: {@code TinyBenchModel <outDir>}; writes {@code config.json}, {@code tokenizer.json}, {@code model.onnx}.
 */
public final class TinyBenchModel {

    private TinyBenchModel() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: TinyBenchModel <outDir>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        TinyModelDir.writeBert(out, true);
        try (var files = Files.list(out)) {
            files.sorted().forEach(f -> System.out.println(f + " (" + f.toFile().length() + " bytes)"));
        }
    }
}
