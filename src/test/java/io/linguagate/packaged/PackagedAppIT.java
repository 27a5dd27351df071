package io.linguagate.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.RandomCheckpoint;
import io.linguagate.model.hub.FakeHub;
import io.linguagate.testmodel.TinyModelDir;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application as users start it ({@code java -jar target/quarkus-app/quarkus-run.jar}): it comes up
 * ready, and unsafe or broken configuration stops it at start with one message naming the key to fix.
 */
class PackagedAppIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private static Process start(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // No hub access here: a test that wants a model gives a local directory (which wins over the id).
        builder.environment().put("LINGUAGATE_MODEL_ID", "none");
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls readiness until 200 (or the process dies / 60 s pass); fails with the log otherwise. */
    private static void awaitReady(Process app, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready:\n" + Files.readString(log));
    }

    private static HttpResponse<String> compress(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/compress"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"we will ship the notes on Monday.\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(Process app) throws InterruptedException {
        app.destroy();
        app.waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void startsWithAModelBecomesReadyAndCompresses(@TempDir Path model) throws Exception {
        TinyModelDir.writeBert(model, true);
        int port = freePort();
        Path log = Files.createTempFile("linguagate", ".log");
        Process app = start(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:" + freePort() + "/v1",
                "LINGUAGATE_MODEL_PATH", model.toString()), log);
        try {
            awaitReady(app, port, log);
            HttpResponse<String> compressed = compress(port);
            assertEquals(200, compressed.statusCode(), compressed.body());
            assertTrue(compressed.body().contains("\"origin_tokens\":8"), compressed.body());
            HttpResponse<String> down = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, down.statusCode(), down.body());
        } finally {
            stop(app);
        }
    }

    @Test
    void aHubModelIsFetchedOnceAndLaterStartsNeedNoHub(@TempDir Path work) throws Exception {
        String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true);
        Path checkpoint = RandomCheckpoint.sized(Family.BERT, TinyTokenizerJson.idCount(tokenizer), 512, 11)
                .writeTo(work.resolve("checkpoint"));
        FakeHub hub = new FakeHub("test-org/tiny")
                .file("config.json", Files.readAllBytes(checkpoint.resolve("config.json")))
                .file("tokenizer.json", tokenizer.getBytes(StandardCharsets.UTF_8))
                .largeFile("model.safetensors", Files.readAllBytes(checkpoint.resolve("model.safetensors")));
        Map<String, String> env = new java.util.HashMap<>(Map.of("LINGUAGATE_MODEL_ID", "test-org/tiny",
                "LINGUAGATE_MODEL_HUB_URL", hub.url().toString(),
                "LINGUAGATE_MODEL_CACHE_DIR", work.resolve("cache").toString(),
                "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1"));
        for (int run = 1; run <= 2; run++) {
            if (run == 2) {
                hub.close(); // the second start must come from the cache alone
            }
            int port = freePort();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            Path log = Files.createTempFile("linguagate", ".log");
            Process app = start(env, log);
            try {
                awaitReady(app, port, log);
                assertEquals(200, compress(port).statusCode(), "start " + run);
            } finally {
                stop(app);
            }
        }
    }

    @Test
    void thePortOpensBeforeTheModelIsReadyAndSigtermEndsAFetchAtOnce(@TempDir Path work) throws Exception {
        String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true);
        Path checkpoint = RandomCheckpoint.sized(Family.BERT, TinyTokenizerJson.idCount(tokenizer), 512, 17)
                .writeTo(work.resolve("checkpoint"));
        try (FakeHub hub = new FakeHub("test-org/slow")
                .file("config.json", Files.readAllBytes(checkpoint.resolve("config.json")))
                .file("tokenizer.json", tokenizer.getBytes(StandardCharsets.UTF_8))
                .file("model.safetensors", Files.readAllBytes(checkpoint.resolve("model.safetensors")))
                .delay("model.safetensors", 60_000)) {
            int port = freePort();
            Path log = Files.createTempFile("linguagate", ".log");
            Process app = start(Map.of("LINGUAGATE_MODEL_ID", "test-org/slow",
                    "LINGUAGATE_MODEL_HUB_URL", hub.url().toString(),
                    "LINGUAGATE_MODEL_CACHE_DIR", work.resolve("cache").toString(),
                    "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1",
                    "QUARKUS_HTTP_PORT", Integer.toString(port)), log);
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + port + "/");
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                HttpResponse<String> live = null;
                while (live == null && System.nanoTime() < deadline) {
                    try {
                        live = http.send(HttpRequest.newBuilder(base.resolve("q/health/live")).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (IOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertTrue(live != null && live.statusCode() == 200, Files.readString(log));
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(503, ready.statusCode(), ready.body());
                assertTrue(ready.body().contains("fetching test-org/slow"), ready.body());
                HttpResponse<String> compress = compress(port);
                assertEquals(503, compress.statusCode(), compress.body());
                assertTrue(compress.body().contains("model_unavailable"), compress.body());

                long sigterm = System.nanoTime();
                app.destroy();
                assertTrue(app.waitFor(10, TimeUnit.SECONDS), Files.readString(log));
                long millis = (System.nanoTime() - sigterm) / 1_000_000;
                assertTrue(millis < 5_000, "exited " + millis + " ms after SIGTERM:\n" + Files.readString(log));
                try (var files = Files.walk(work.resolve("cache"))) {
                    assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("model.safetensors")
                            || f.getFileName().toString().equals("model.onnx")), "no complete-looking file left");
                }
            } finally {
                app.destroyForcibly();
            }
        }
    }

    @Test
    void prefetchOnlyFillsTheCacheAndExits(@TempDir Path work) throws Exception {
        String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true);
        Path checkpoint = RandomCheckpoint.sized(Family.BERT, TinyTokenizerJson.idCount(tokenizer), 512, 13)
                .writeTo(work.resolve("checkpoint"));
        try (FakeHub hub = new FakeHub("test-org/prefetch")
                .file("config.json", Files.readAllBytes(checkpoint.resolve("config.json")))
                .file("tokenizer.json", tokenizer.getBytes(StandardCharsets.UTF_8))
                .file("model.safetensors", Files.readAllBytes(checkpoint.resolve("model.safetensors")))) {
            Path log = Files.createTempFile("linguagate", ".log");
            Process app = start(Map.of("LINGUAGATE_MODEL_ID", "test-org/prefetch",
                    "LINGUAGATE_MODEL_HUB_URL", hub.url().toString(),
                    "LINGUAGATE_MODEL_CACHE_DIR", work.resolve("cache").toString(),
                    "LINGUAGATE_MODEL_PREFETCH_ONLY", "true",
                    "QUARKUS_HTTP_PORT", Integer.toString(freePort())), log);
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), Files.readString(log));
            assertEquals(0, app.exitValue(), Files.readString(log));
            try (var files = Files.walk(work.resolve("cache"))) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("model.onnx")),
                        "no converted model in the cache:\n" + Files.readString(log));
            }
        }
    }

    @Test
    void anUnknownHubModelRefusesToStartNamingIt(@TempDir Path work) throws Exception {
        try (FakeHub hub = new FakeHub("test-org/other")) {
            String output = failedStart(Map.of("LINGUAGATE_MODEL_ID", "test-org/missing",
                    "LINGUAGATE_MODEL_HUB_URL", hub.url().toString(),
                    "LINGUAGATE_MODEL_CACHE_DIR", work.toString(),
                    "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1"));
            assertTrue(output.contains("test-org/missing"), output);
            assertTrue(output.contains("LINGUAGATE_MODEL_ID"), output);
        }
    }

    @Test
    void anUpstreamKeyWithoutInboundKeysRefusesToStart() throws Exception {
        String output = failedStart(Map.of("LINGUAGATE_UPSTREAM_API_KEY", "sk-never-printed-123"));
        assertTrue(output.contains("LINGUAGATE_AUTH_KEYS"), output);
        assertFalse(output.contains("sk-never-printed-123"), output);
    }

    @Test
    void anAnthropicKeyWithoutInboundKeysRefusesToStart() throws Exception {
        String output = failedStart(Map.of("LINGUAGATE_ANTHROPIC_API_KEY", "sk-ant-never-printed-789"));
        assertTrue(output.contains("linguagate.anthropic.api-key is set but linguagate.auth.keys is empty"), output);
        assertTrue(output.contains("LINGUAGATE_AUTH_KEYS"), output);
        assertFalse(output.contains("sk-ant-never-printed-789"), output);
    }

    @Test
    void anAnthropicBaseUrlThatIsNotAUrlRefusesToStart() throws Exception {
        String output = failedStart(Map.of("LINGUAGATE_ANTHROPIC_BASE_URL", "api.anthropic.com"));
        assertTrue(output.contains("linguagate.anthropic.base-url must be an absolute http(s) URL such as "
                + "https://api.anthropic.com"), output);
        assertTrue(output.contains("LINGUAGATE_ANTHROPIC_BASE_URL"), output);
    }

    @Test
    void aCredentialHeaderInUpstreamHeadersIsAKeyLentLikeTheApiKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(config, "linguagate.upstream.headers.api-key=sk-never-printed-456\n");
        String output = failedStart(Map.of("QUARKUS_CONFIG_LOCATIONS", config.toString()));
        assertTrue(output.contains("linguagate.upstream.headers.api-key sends a credential"), output);
        assertTrue(output.contains("LINGUAGATE_AUTH_KEYS"), output);
        assertFalse(output.contains("sk-never-printed-456"), output);
    }

    @Test
    void settingsThatWouldMisbehaveLaterRefuseToStartNamingKeyEnvAndValue(@TempDir Path model) throws Exception {
        TinyModelDir.writeBert(model, true);
        // A count of 0 used to hang the start (a semaphore with no permits); rates outside (0, 1] failed every
        // request open or compressed nothing.
        String output = failedStart(Map.of("LINGUAGATE_MODEL_PATH", model.toString(),
                "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1",
                "LINGUAGATE_MODEL_CONCURRENT_INFERENCES", "0",
                "LINGUAGATE_COMPRESSION_RATE", "0",
                "LINGUAGATE_COMPRESSION_LAST_USER_RATE", "1.5",
                "LINGUAGATE_UPSTREAM_TIMEOUT", "0s"));
        assertTrue(output.contains("linguagate.model.concurrent-inferences (env LINGUAGATE_MODEL_CONCURRENT_INFERENCES)"
                + " is 0: use a whole number ≥ 1"), output);
        assertTrue(output.contains("linguagate.compression.rate (env LINGUAGATE_COMPRESSION_RATE) is 0.0"), output);
        assertTrue(output.contains("linguagate.compression.last-user-rate (env LINGUAGATE_COMPRESSION_LAST_USER_RATE)"
                + " is 1.5"), output);
        assertTrue(output.contains("linguagate.upstream.timeout (env LINGUAGATE_UPSTREAM_TIMEOUT)"), output);
    }

    @Test
    void aBaseUrlThatIsNotAUrlRefusesToStart() throws Exception {
        String output = failedStart(Map.of("LINGUAGATE_UPSTREAM_BASE_URL", "api.openai.com/v1"));
        assertTrue(output.contains("linguagate.upstream.base-url"), output);
    }

    @Test
    void aBrokenModelDirectoryRefusesToStartNamingTheFile(@TempDir Path model) throws Exception {
        TinyModelDir.writeBert(model, true);
        Files.delete(model.resolve("tokenizer.json"));
        String output = failedStart(Map.of("LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1",
                "LINGUAGATE_MODEL_PATH", model.toString()));
        assertTrue(output.contains(model.resolve("tokenizer.json").toString()), output);
        assertTrue(output.contains("LINGUAGATE_MODEL_PATH"), output);
    }

    private static String failedStart(Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        Path log = Files.createTempFile("linguagate", ".log");
        Process app = start(all, log);
        boolean exited = app.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            app.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(exited, "the gateway kept running:\n" + output);
        assertNotEquals(0, app.exitValue(), output);
        assertFalse(output.contains("\tat "), "an expected configuration error must not print a stack trace:\n"
                + output);
        return output;
    }
}
