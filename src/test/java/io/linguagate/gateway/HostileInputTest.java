package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.support.LogCapture;
import io.linguagate.support.RawUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests a client (or an attacker) can craft: targets that would escape the upstream's base path, paths the
 * gateway does not serve, bodies that are valid JSON syntax but not usable, duplicate keys, bodies that never
 * arrive. Each gets a clear OpenAI-shaped 4xx, nothing is forwarded, and nothing is logged with a stack trace.
 * Sent over a raw socket, so no client library normalises the request line first.
 */
@QuarkusTest
@TestProfile(UpstreamFaultSuiteTest.Faults.class)
class HostileInputTest {

    @RawUpstream.Inject
    RawUpstream upstream;

    @TestHTTPResource("/")
    URI gateway;

    record Raw(int status, String head, String body, long millis) {
    }

    @Test
    void targetsThatCouldLeaveTheBasePathAreRefusedAndNeverForwarded() throws Exception {
        int before = upstream.requests();
        for (String target : List.of("/v1/../../../../../v1/escaped", "/v1/..%2F..%2Fadmin", "/v1/%2e%2e/%2e%2e/v1/y",
                "/v1/%2E%2E/x", "/v1/a%5cb", "/v1//evil.example/z", "/v1/./models", "http://evil.example/v1/models")) {
            Raw answer = send("GET " + target + " HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
            assertEquals(400, answer.status(), target + ": " + answer);
            assertTrue(answer.body().contains("\"code\":\"invalid_path\""), target + ": " + answer.body());
        }
        assertEquals(before, upstream.requests(), "nothing may reach the upstream");
        // An ordinary percent-encoded path still goes through as written.
        Raw fine = send("GET /v1/files/file%20one HTTP/1.1\r\nhost: localhost\r\nx-client: ivy\r\n"
                + "connection: close\r\n\r\n");
        assertEquals(200, fine.status(), fine.toString());
    }

    @Test
    void pathsTheGatewayDoesNotServeGetAnOpenAiShaped404() throws Exception {
        Raw answer = send("GET /nothing/here HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n");
        assertEquals(404, answer.status(), answer.toString());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
        assertTrue(answer.body().contains("\"code\":\"unknown_url\""), answer.body());
        assertEquals(200, send("GET /q/health/live HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
                .status());
    }

    @Test
    void unusableJsonIsA400WithoutStackTraceOrEcho() throws Exception {
        try (LogCapture log = LogCapture.install()) {
            for (String[] c : new String[][] {
                    {"/v1/chat/completions", "{\"messages\":[],\"x\":1e9999999999}"},
                    {"/v1/chat/completions", "{\"messages\":[],\"x\":1e-9999999999}"},
                    {"/v1/chat/completions", "{\"messages\":[],\"compression\":{\"rate\":1e-9999999999}}"},
                    {"/v1/compress", "{\"prompt\":\"a b c\",\"rate\":1e9999999999}"},
                    {"/v1/chat/completions", "{\"messages\":[],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"},
                    {"/v1/chat/completions", "{\"messages\": hunter2SuperSecret}"},
                    {"/v1/compress", "{\"prompt\": hunter2SuperSecret}"}}) {
                Raw answer = post(c[0], c[1]);
                assertEquals(400, answer.status(), c[1] + ": " + answer);
                assertTrue(answer.body().contains("\"code\":\"invalid_json\""), c[1] + ": " + answer.body());
                assertFalse(answer.body().contains("hunter2"), answer.body());
            }
            assertTrue(post("/v1/chat/completions", "{\"messages\":[],\"messages\":[]}").body()
                    .contains("Duplicate field 'messages'"));
            assertEquals(List.of(), log.lines().stream().filter(LogCapture::hasStackTrace).toList());
            assertFalse(log.all().contains("hunter2"), log.all());
        }
    }

    @Test
    void aBodyThatNeverArrivesWholeGets408WithinTheBodyTimeout() throws Exception {
        // Declares 100 bytes, sends 2; and an upload declared above the replay buffer (streamed), trickled.
        Raw held = send("POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
                + "content-length: 100\r\n\r\n{\"");
        assertEquals(408, held.status(), held.toString());
        assertTrue(held.body().contains("\"code\":\"request_timeout\""), held.body());
        assertTrue(held.millis() < 3000, held.toString());
        Raw streamed = send("POST /v1/files HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/octet-stream\r\n"
                + "content-length: 5000000\r\n\r\nabc");
        assertEquals(408, streamed.status(), streamed.toString());
        assertTrue(streamed.millis() < 3000, streamed.toString());
    }

    @Test
    void compressRefusesPromptsOverItsTokenLimitAndStopsAtItsTimeout() throws Exception {
        // This gateway: linguagate.compress.max-tokens=300, linguagate.compress.timeout=1ms.
        String tooLong = "we will ship the notes on Monday. ".repeat(60); // 480 cl100k tokens
        Raw refused = post("/v1/compress", "{\"prompt\":\"" + tooLong + "\"}");
        assertEquals(413, refused.status(), refused.toString());
        assertTrue(refused.body().contains("\"code\":\"prompt_too_long\"")
                && refused.body().contains("linguagate.compress.max-tokens") && refused.body().contains("300"),
                refused.body());
        Raw slow = post("/v1/compress", "{\"prompt\":\"" + "we will ship the notes on Monday. ".repeat(35) + "\"}");
        assertEquals(504, slow.status(), slow.toString());
        assertTrue(slow.body().contains("\"code\":\"compression_timeout\""), slow.body());
    }

    private Raw post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send("POST " + path + " HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
                + "connection: close\r\ncontent-length: " + body.length + "\r\n\r\n" + json);
    }

    /** Writes {@code request} as it is and reads one answer (status, head, a Content-Length body). */
    private Raw send(String request) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : headText.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            int status = headText.length() > 12 ? Integer.parseInt(headText.substring(9, 12)) : -1;
            return new Raw(status, headText, body, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
