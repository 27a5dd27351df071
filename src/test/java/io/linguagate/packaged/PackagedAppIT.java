package io.linguagate.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.testmodel.TinyModelDir;
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

    @Test
    void startsWithAModelBecomesReadyAndCompresses(@TempDir Path model) throws Exception {
        TinyModelDir.writeBert(model, true);
        int port = freePort();
        Path log = Files.createTempFile("linguagate", ".log");
        Process app = start(Map.of("QUARKUS_HTTP_PORT", Integer.toString(port),
                "LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:" + freePort() + "/v1",
                "LINGUAGATE_MODEL_PATH", model.toString()), log);
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && app.isAlive()) {
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            assertTrue(ready != null && ready.statusCode() == 200, Files.readString(log));
            HttpResponse<String> compressed = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/compress"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"we will ship the notes on Monday.\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, compressed.statusCode(), compressed.body());
            assertTrue(compressed.body().contains("\"origin_tokens\":8"), compressed.body());
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(502, down.statusCode(), down.body());
        } finally {
            app.destroy();
            app.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUpstreamKeyWithoutInboundKeysRefusesToStart() throws Exception {
        String output = failedStart(Map.of("LINGUAGATE_UPSTREAM_API_KEY", "sk-never-printed-123"));
        assertTrue(output.contains("LINGUAGATE_AUTH_KEYS"), output);
        assertFalse(output.contains("sk-never-printed-123"), output);
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
