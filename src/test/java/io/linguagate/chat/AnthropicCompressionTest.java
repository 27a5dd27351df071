package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.linguagate.chat.ChatCompressionTest.compressed;
import static io.linguagate.chat.ChatCompressionTest.doc;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anthropic Messages compressed through the gateway, with the official Anthropic Java SDK (and raw HTTP where the
 * bytes matter): system, earlier turns and tool results compressed; the question, assistant turns (thinking blocks
 * byte for byte), tool_use and cache_control blocks kept; estimate headers; the SDK's typed errors.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class AnthropicCompressionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUESTION = "Which one ships first?";
    static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Monday."}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":2}}""";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    private AnthropicClient client;

    @BeforeEach
    void setUp() {
        upstream.resetAll();
        upstream.stubFor(WireMock.post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(MESSAGE)));
        client = AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .apiKey("sk-ant-test").maxRetries(0).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private String receivedBody() {
        var requests = upstream.findAll(postRequestedFor(urlEqualTo("/anthropic/v1/messages")));
        assertEquals(1, requests.size());
        return new String(requests.get(0).getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void systemEarlierTurnsAndToolResultsAreCompressedTheQuestionAndToolUseKept() throws Exception {
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .system(doc(18))
                .addUserMessage(doc(18))
                .addAssistantMessageOfContentBlockParams(List.of(ContentBlockParam.ofText(
                        com.anthropic.models.messages.TextBlockParam.builder().text(doc(18)).build()),
                        ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id("toolu_1").name("search")
                                .input(ToolUseBlockParam.Input.builder()
                                        .putAdditionalProperty("q", JsonValue.from(doc(3))).build()).build())))
                .addUserMessageOfContentBlockParams(List.of(
                        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId("toolu_1")
                                .content(doc(18)).build()),
                        ContentBlockParam.ofText(QUESTION)))
                .build();
        HttpResponseFor<Message> raw = client.messages().withRawResponse().create(params);
        assertEquals("Monday.", raw.parse().content().get(0).asText().text());
        assertEquals(List.of("applied"), raw.headers().values("x-compression-status"));
        assertEquals(List.of("estimate"), raw.headers().values("x-compression-tokenizer"));
        assertTrue(Double.parseDouble(raw.headers().values("x-compression-saved-usd").get(0)) > 0, "priced");

        JsonNode sent = JSON.readTree(receivedBody());
        assertEquals(compressed(18), sent.path("system").textValue());
        JsonNode messages = sent.path("messages");
        assertEquals(compressed(18), messages.get(0).path("content").textValue());
        assertEquals(doc(18), messages.get(1).path("content").get(0).path("text").textValue(), "assistant kept");
        assertEquals(doc(3), messages.get(1).path("content").get(1).path("input").path("q").textValue());
        assertEquals(compressed(18), messages.get(2).path("content").get(0).path("content").textValue());
        assertEquals(QUESTION, messages.get(2).path("content").get(1).path("text").textValue());
    }

    @Test
    void thinkingBlocksCacheControlAndEveryOtherByteAreTheClients() throws Exception {
        String raw = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1e2,\"temperature\":1.0,"
                + "\"system\":[{\"type\":\"text\",\"text\":" + quoted(doc(18)) + "},{\"type\":\"text\",\"text\":"
                + quoted(doc(8)) + ",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":["
                + "{\"role\":\"user\",\"content\":" + quoted(doc(18)) + "},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":" + quoted(doc(18))
                + ",\"signature\":\"EqQBCgIYAhIM\\/x+==\"},{\"type\":\"redacted_thinking\",\"data\":\"c2VjcmV0\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"n\":2.50}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":["
                + "{\"type\":\"text\",\"text\":" + quoted(doc(18)) + "}]},{\"type\":\"text\",\"text\":\"caf\\u00e9?\"}]}]}";
        given().contentType("application/json").header("anthropic-version", "2023-06-01")
                .body(raw.getBytes(StandardCharsets.UTF_8)).post("/v1/messages")
                .then().statusCode(200).header("x-compression-status", "applied");
        String first = "\"system\":[{\"type\":\"text\",\"text\":" + quoted(doc(18)) + "}";
        String userTurn = "{\"role\":\"user\",\"content\":" + quoted(doc(18)) + "}";
        String toolText = "\"content\":[{\"type\":\"text\",\"text\":" + quoted(doc(18)) + "}]";
        String expected = raw.replace(first, "\"system\":[{\"type\":\"text\",\"text\":" + quoted(compressed(18)) + "}")
                .replace(userTurn, "{\"role\":\"user\",\"content\":" + quoted(compressed(18)) + "}")
                .replace(toolText, "\"content\":[{\"type\":\"text\",\"text\":" + quoted(compressed(18)) + "}]");
        assertEquals(expected, receivedBody(), "thinking, signatures, cache_control blocks, numbers untouched");
    }

    @Test
    void streamsCarryTheHeadersAndAreRelayed() {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Monday."}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        upstream.stubFor(WireMock.post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(sse)));
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .system(doc(18)).addUserMessage(QUESTION).build();
        var raw = client.messages().withRawResponse().createStreaming(params);
        assertEquals(List.of("applied"), raw.headers().values("x-compression-status"));
        try (StreamResponse<RawMessageStreamEvent> stream = raw.parse()) {
            List<RawMessageStreamEvent> events = stream.stream().toList();
            assertTrue(events.get(0).isMessageStart());
            assertTrue(events.get(events.size() - 1).isMessageStop());
        }
    }

    @Test
    void gatewayControlsAreAnthropicShapedErrorsAndUpstreamErrorsTyped() {
        given().contentType("application/json").header("x-compression-rate", "2")
                .body("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[]}").post("/v1/messages")
                .then().statusCode(400).body("type", org.hamcrest.Matchers.equalTo("error"))
                .body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                .body("error.message", org.hamcrest.Matchers.containsString("x-compression-rate"));
        upstream.stubFor(WireMock.post("/anthropic/v1/messages").willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withBody("{\"type\":\"error\",\"error\":{\"type\":"
                        + "\"invalid_request_error\",\"message\":\"max_tokens: too large\"}}")));
        MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64)
                .system(doc(18)).addUserMessage(QUESTION).build();
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.messages().create(params));
        assertTrue(e.getMessage().contains("max_tokens: too large"), e.getMessage());
    }

    private static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
