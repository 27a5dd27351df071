package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.support.ScriptedUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Server-sent events are relayed as they arrive; a broken upstream stream is a broken client stream. */
@QuarkusTest
@TestProfile(StreamingTest.ShortStreamIdle.class)
@WithTestResource(ScriptedUpstream.class)
class StreamingTest {

    public static class ShortStreamIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.stream-idle-timeout", "1s");
        }
    }

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hi\"}]}";

    @ScriptedUpstream.Inject
    ScriptedUpstream upstream;

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newHttpClient();

    private static void sseHead(HttpServerResponse response) {
        response.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("x-request-id", "req_s");
    }

    private static String event(int i) {
        return "data: {\"choices\":[{\"delta\":{\"content\":\"t" + i + "\"}}]}\n\n";
    }

    private HttpResponse<Stream<String>> stream(String path) throws Exception {
        return http.sendAsync(HttpRequest.newBuilder(gateway.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofLines())
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void headersAndFirstEventReachTheClientWhileTheUpstreamIsStillGenerating() throws Exception {
        CompletableFuture<Void> sendFirst = new CompletableFuture<>();
        CompletableFuture<Void> finish = new CompletableFuture<>();
        upstream.script(req -> {
            HttpServerResponse response = req.response();
            sseHead(response);
            response.writeHead();
            sendFirst.thenRun(() -> upstream.vertx().runOnContext(v -> response.write(event(1))));
            finish.thenRun(() -> upstream.vertx().runOnContext(v -> response.write(event(2))
                    .compose(x -> response.end("data: [DONE]\n\n"))));
        });

        // Headers arrive before any event exists upstream.
        HttpResponse<Stream<String>> response = stream("v1/chat/completions");
        assertEquals(200, response.statusCode());
        assertEquals("text/event-stream", response.headers().firstValue("content-type").orElseThrow());
        assertEquals("req_s", response.headers().firstValue("x-request-id").orElseThrow());

        sendFirst.complete(null);
        Iterator<String> lines = response.body().iterator();
        // The first event is readable while the upstream has not finished (finish is not yet completed).
        assertEquals(event(1).strip(), lines.next());
        assertFalse(finish.isDone());
        finish.complete(null);

        List<String> rest = new ArrayList<>();
        lines.forEachRemaining(rest::add);
        assertEquals(List.of("", event(2).strip(), "", "data: [DONE]", ""), rest);
    }

    @Test
    void aStreamTheUpstreamCutsEndsWithAnErrorForTheClient() throws Exception {
        upstream.script(req -> {
            HttpServerResponse response = req.response();
            sseHead(response);
            response.write(event(1)).onComplete(v -> req.connection().close());
        });

        HttpResponse<Stream<String>> response = stream("v1/chat/completions");
        List<String> seen = new ArrayList<>();
        UncheckedIOException cut = assertThrows(UncheckedIOException.class,
                () -> response.body().forEach(seen::add));
        assertTrue(cut.getCause() instanceof IOException);
        assertEquals(event(1).strip(), seen.get(0));
        assertTrue(seen.contains("event: error"), seen.toString());
        assertTrue(seen.stream().anyMatch(l -> l.contains("upstream_stream_interrupted")), seen.toString());
        assertFalse(seen.contains("data: [DONE]"));
    }

    @Test
    void aStreamThatGoesSilentIsCutAfterTheIdleTimeout() throws Exception {
        upstream.script(req -> {
            HttpServerResponse response = req.response();
            sseHead(response);
            response.write(event(1)); // then nothing, connection left open
        });

        HttpResponse<Stream<String>> response = stream("v1/chat/completions");
        List<String> seen = new ArrayList<>();
        assertThrows(UncheckedIOException.class, () -> response.body().forEach(seen::add));
        assertEquals(event(1).strip(), seen.get(0));
        assertTrue(seen.contains("event: error"), seen.toString());
    }

    @Test
    void aPassthroughBodyTheUpstreamCutsEndsWithAnErrorForTheClient() throws Exception {
        upstream.script(req -> {
            HttpServerResponse response = req.response().setChunked(true).putHeader("content-type",
                    "application/octet-stream");
            response.write("partial-").onComplete(v -> req.connection().close());
        });

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(gateway.resolve("v1/files/f/content"))
                .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertThrows(IOException.class, () -> {
            try (InputStream in = response.body()) {
                in.readAllBytes();
            }
        });
    }

    @Test
    void whenTheClientLeavesTheUpstreamCallIsCancelled() throws Exception {
        CompletableFuture<Void> upstreamSawClose = new CompletableFuture<>();
        upstream.script(req -> {
            HttpServerResponse response = req.response();
            sseHead(response);
            req.connection().closeHandler(v -> upstreamSawClose.complete(null));
            response.write(event(1));
            // keeps "generating": one event every 200 ms, well inside the idle timeout
            long timer = upstream.vertx().setPeriodic(200, id -> {
                if (!response.closed()) {
                    response.write(event(2));
                }
            });
            response.closeHandler(v -> upstream.vertx().cancelTimer(timer));
        });

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(gateway.resolve("v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        byte[] first = new byte[10];
        assertEquals(10, body.readNBytes(first, 0, 10));
        assertEquals("data: {\"ch", new String(first, StandardCharsets.UTF_8));
        body.close();

        upstreamSawClose.get(10, TimeUnit.SECONDS);
    }
}
