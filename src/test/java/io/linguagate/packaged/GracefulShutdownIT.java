package io.linguagate.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.support.RawUpstream;
import io.linguagate.support.ReadBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged gateway with streams and a waiting request in flight: a stream that ends within
 * {@code linguagate.shutdown-grace} ends normally, one that does not gets an SSE error event and a cut, the request
 * still waiting for upstream headers gets 503, new requests are refused, and the process exits soon after. A stream
 * on an Anthropic route ends with Anthropic's error event.
 */
class GracefulShutdownIT {

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}";

    record Seen(int status, String body, boolean cut) {
    }

    @Test
    void inFlightWorkFinishesWithinTheGraceAndTheRestEndsVisibly() throws Exception {
        RawUpstream upstream = new RawUpstream();
        java.util.Map<String, String> upstreamUrls = upstream.start();
        String baseUrl = upstreamUrls.get("linguagate.upstream.base-url");
        upstream.fault("short", ex -> streamFor(ex, 1_500));
        upstream.fault("endless", ex -> streamFor(ex, 60_000));
        upstream.fault("no-headers", ex -> Thread.sleep(60_000));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("linguagate-shutdown", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(java.util.Map.of("LINGUAGATE_MODEL_ID", "none",
                "QUARKUS_HTTP_PORT", Integer.toString(port), "LINGUAGATE_UPSTREAM_BASE_URL", baseUrl,
                "LINGUAGATE_ANTHROPIC_BASE_URL", upstreamUrls.get("linguagate.anthropic.base-url"),
                "LINGUAGATE_SHUTDOWN_GRACE", "3s"));
        Process app = builder.start();
        try {
            URI gateway = URI.create("http://127.0.0.1:" + port + "/");
            awaitReady(gateway, app, log);
            CompletableFuture<Seen> shortStream = chat(gateway, "short");
            CompletableFuture<Seen> endless = chat(gateway, "endless");
            CompletableFuture<Seen> waiting = chat(gateway, "no-headers");
            CompletableFuture<Seen> anthropic = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(gateway, "v1/messages", "endless");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);

            long sigterm = System.nanoTime();
            app.destroy();
            Thread.sleep(300);
            Seen late = send(gateway, null);
            assertEquals(503, late.status(), late.body());
            assertTrue(late.body().contains("gateway_shutting_down"), late.body());

            Seen finished = shortStream.get(10, TimeUnit.SECONDS);
            assertFalse(finished.cut(), finished.body());
            assertTrue(finished.body().contains("data: [DONE]"), finished.body());

            Seen cut = endless.get(10, TimeUnit.SECONDS);
            assertTrue(cut.cut(), cut.body());
            assertTrue(cut.body().contains("event: error") && cut.body().contains("gateway_shutting_down"),
                    cut.body());
            assertFalse(cut.body().contains("[DONE]"), cut.body());

            // On an Anthropic route the final event is Anthropic's.
            Seen anthropicCut = anthropic.get(10, TimeUnit.SECONDS);
            assertTrue(anthropicCut.cut(), anthropicCut.body());
            assertTrue(anthropicCut.body().endsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                    + "\"overloaded_error\",\"message\":\"The gateway shut down before this answer was complete. "
                    + "Retry the request.\"}}\n\n"), anthropicCut.body());

            Seen refused = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.body().contains("gateway_shutting_down"), refused.body());

            assertTrue(app.waitFor(10, TimeUnit.SECONDS), Files.readString(log));
            long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
            assertTrue(exitMillis > 2_500 && exitMillis < 9_000, "exited " + exitMillis + " ms after SIGTERM");
            String output = Files.readString(log);
            assertTrue(output.contains("3 of 4 in-flight request(s)"), output);
            assertFalse(output.contains("\tat "), output);
        } finally {
            app.destroyForcibly();
            upstream.stop();
        }
    }

    private static void streamFor(RawUpstream.Exchange ex, long millis) throws Exception {
        ex.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            chunk(ex, "data: {\"choices\":[{\"delta\":{\"content\":\"t\"}}]}\n\n");
            Thread.sleep(200);
        }
        chunk(ex, "data: [DONE]\n\n");
        ex.write("0\r\n\r\n");
    }

    private static void chunk(RawUpstream.Exchange ex, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        ex.write(Integer.toHexString(bytes.length) + "\r\n");
        ex.write(bytes);
        ex.write("\r\n");
    }

    private static CompletableFuture<Seen> chat(URI gateway, String fault) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(gateway, fault);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Seen send(URI gateway, String fault) throws Exception {
        return send(gateway, "v1/chat/completions", fault);
    }

    private static Seen send(URI gateway, String path, String fault) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT));
        if (fault != null) {
            request.header("x-fault", fault);
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ReadBody body = ReadBody.of(response.body());
        return new Seen(response.statusCode(), body.text(), body.cut());
    }

    private static void awaitReady(URI gateway, Process app, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(gateway.resolve("q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready:\n" + Files.readString(log) + List.of());
    }
}
