package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.linguagate.support.RawUpstream;
import io.linguagate.support.ReadBody;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults on the Anthropic route end in Anthropic's dialect: a stream the upstream cuts ends with Anthropic's SSE
 * {@code error} event, an upstream that stays silent is a 504 {@code timeout_error}, one that speaks no HTTP a 502
 * {@code api_error}, a body that never arrives a 408. Shares the fault suite's gateway (short timeouts, raw upstream).
 */
@QuarkusTest
@TestProfile(UpstreamFaultSuiteTest.Faults.class)
class AnthropicFaultsTest {

    private static final String STREAM_BODY = "{\"model\":\"claude-x\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String CUT_EVENT = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
            + "\"message\":\"The upstream stream broke off before it was complete.\"}}\n\n";

    @RawUpstream.Inject
    RawUpstream upstream;

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void faults() {
        upstream.fault("anthropic-cut", ex -> {
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
            chunk(ex, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                    + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],"
                    + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"
                    + "\n\n");
            chunk(ex, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                    + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
            chunk(ex, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n");
            Thread.sleep(50);
            ex.reset();
        });
        upstream.fault("anthropic-silent", ex -> Thread.sleep(3_000));
        upstream.fault("anthropic-garbage", ex -> {
            ex.write("SSH-2.0-OpenSSH_9.6\r\n\r\n");
            ex.fin();
        });
    }

    private static void chunk(RawUpstream.Exchange ex, String data) throws IOException {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        ex.write(Integer.toHexString(bytes.length) + "\r\n");
        ex.write(bytes);
        ex.write("\r\n");
    }

    private HttpResponse<InputStream> messages(String fault) throws Exception {
        return http.send(HttpRequest.newBuilder(gateway.resolve("v1/messages")).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/json").header("x-fault", fault)
                .POST(HttpRequest.BodyPublishers.ofString(STREAM_BODY)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void aStreamTheUpstreamCutsEndsWithAnthropicsErrorEventThenACut() throws Exception {
        HttpResponse<InputStream> response = messages("anthropic-cut");
        assertEquals(200, response.statusCode());
        ReadBody body = ReadBody.of(response.body());

        assertTrue(body.cut(), "a cut must never look like a complete stream:\n" + body.text());
        assertTrue(body.text().contains("\"text\":\"Hel\""), body.text());
        assertTrue(body.text().endsWith(CUT_EVENT), body.text());
    }

    @Test
    void theSdkSeesTheCutAsAnApiError() {
        List<RawMessageStreamEvent> seen = new ArrayList<>();
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .apiKey("sk-ant-any-key").maxRetries(0).build();
        try {
            MessageCreateParams params = MessageCreateParams.builder().model("claude-x").maxTokens(64)
                    .addUserMessage("hi").putAdditionalHeader("x-fault", "anthropic-cut").build();
            AnthropicServiceException error = assertThrows(AnthropicServiceException.class, () -> {
                try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
                    stream.stream().forEach(seen::add);
                }
            });
            assertEquals("api_error", error.type().orElseThrow().asString());
            assertEquals("The upstream stream broke off before it was complete.", error.apiMessage().orElseThrow());
        } finally {
            client.close();
        }
        assertFalse(seen.isEmpty(), "the events before the cut reach the SDK");
        assertTrue(seen.get(0).isMessageStart());
    }

    @Test
    void anUpstreamSilentPastTheTimeoutIs504TimeoutError() throws Exception {
        HttpResponse<InputStream> response = messages("anthropic-silent");
        assertEquals(504, response.statusCode());
        AnthropicSdkTest.assertAnthropicShape(new JsonObject(ReadBody.of(response.body()).text()), "timeout_error");
    }

    @Test
    void anUpstreamSpeakingNoHttpIs502ApiError() throws Exception {
        HttpResponse<InputStream> response = messages("anthropic-garbage");
        assertEquals(502, response.statusCode());
        JsonObject json = new JsonObject(ReadBody.of(response.body()).text());
        AnthropicSdkTest.assertAnthropicShape(json, "api_error");
        assertEquals("The upstream API sent an answer that is not valid HTTP.",
                json.getJsonObject("error").getString("message"));
    }

    @Test
    void aBodyThatNeverArrivesIs408InAnthropicsShape() throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/messages HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
                    + "content-length: 500\r\n\r\n{\"messages\":[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            String json = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            AnthropicSdkTest.assertAnthropicShape(new JsonObject(json), "invalid_request_error");
        }
    }

    /** Reads one answer: the head, then a body of its Content-Length. */
    private static String readAnswer(InputStream in) throws IOException {
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
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
