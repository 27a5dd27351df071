package io.linguagate.support;

import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.RandomCheckpoint;
import io.linguagate.model.hub.FakeHub;
import io.linguagate.testmodel.TinyTokenizerJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A local hub serving a small random-weight BERT token-classification checkpoint in the Hugging Face layout
 * (config.json, tokenizer.json, model.safetensors via a CDN redirect), so the application fetches, converts and
 * loads it exactly as it would an official checkpoint. The cache is a fresh temporary directory.
 */
public class TinyHubResource implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL_ID = "test-org/tiny-llmlingua-bert";

    private FakeHub hub;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("linguagate-hub");
            String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true);
            Path checkpoint = RandomCheckpoint.sized(Family.BERT, TinyTokenizerJson.idCount(tokenizer), 512, 7)
                    .writeTo(dir.resolve("checkpoint"));
            hub = new FakeHub(MODEL_ID)
                    .file("config.json", Files.readAllBytes(checkpoint.resolve("config.json")))
                    .file("tokenizer.json", tokenizer.getBytes(StandardCharsets.UTF_8))
                    .largeFile("model.safetensors", Files.readAllBytes(checkpoint.resolve("model.safetensors")));
            return Map.of("linguagate.model.id", MODEL_ID,
                    "linguagate.model.hub-url", hub.url().toString(),
                    "linguagate.model.cache-dir", dir.resolve("cache").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(dir == null ? null : dir.resolve("cache"),
                new TestInjector.AnnotatedAndMatchesType(CacheDir.class, Path.class));
    }

    /** Marks the test field that receives the model cache directory. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface CacheDir {
    }

    @Override
    public void stop() {
        if (hub != null) {
            hub.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException ignored) {
                // temp files; the OS cleans up eventually
            }
        }
    }
}
