package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Anthropic Java SDK, pointed at the gateway by its base URL only ({@code ANTHROPIC_BASE_URL}): messages,
 * streams, token counts and models reach the Anthropic upstream ({@code {wiremock}/anthropic}); the upstream's errors
 * come back unchanged, the gateway's own in Anthropic's shape.
 */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
class AnthropicSdkTest {

    private static final String CLIENT_KEY = "sk-ant-client-key-1234";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    /** The SDK as configured by default: its key goes out as {@code Authorization: Bearer}. */
    private AnthropicClient client;
    /** The SDK sending its key as {@code x-api-key}, as Anthropic's other SDKs and Claude Code do. */
    private AnthropicClient xApiKeyClient;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        upstream.resetAll();
        String base = gateway.toString().replaceAll("/$", "");
        client = AnthropicOkHttpClient.builder().baseUrl(base).apiKey(CLIENT_KEY).maxRetries(0).build();
        xApiKeyClient = AnthropicOkHttpClient.builder().baseUrl(base).apiKey(CLIENT_KEY)
                .putHeader("X-Api-Key", CLIENT_KEY).maxRetries(0).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
        xApiKeyClient.close();
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256)
                .system("You are terse.").addUserMessage("Say hi")
                .putAdditionalBodyProperty("vendor_extension", JsonValue.from(Map.of("tier", "gold")))
                .putAdditionalHeader("anthropic-beta", "prompt-caching-2024-07-31")
                .build();
    }

    private static final String MESSAGE = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Hi!"}],"stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":12,"output_tokens":2}}""";

    @Test
    void nonStreamingMessageGoesToTheAnthropicUpstreamWithTheClientsHeaders() {
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withHeader("request-id", "req_42").withBody(MESSAGE)));

        Message message = client.messages().create(params());

        assertEquals("Hi!", message.content().get(0).asText().text());
        assertEquals(12, message.usage().inputTokens());
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + CLIENT_KEY))
                .withHeader("anthropic-version", WireMock.matching("\\d{4}-\\d{2}-\\d{2}"))
                .withHeader("anthropic-beta", WireMock.equalTo("prompt-caching-2024-07-31"))
                .withRequestBody(matchingJsonPath("$.vendor_extension.tier", WireMock.equalTo("gold")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", WireMock.equalTo("Say hi"))));
        upstream.verify(0, anyRequestedFor(urlPathEqualTo("/v1/messages")));
        // Its own route metric, and the Anthropic upstream's series apart from the OpenAI upstream's.
        given().when().get("/q/metrics").then()
                .body(containsString("linguagate_requests_seconds_count{route=\"messages\",status=\"200\"}"))
                .body(containsString("linguagate_anthropic_upstream_latency_seconds_count{outcome=\"200\"}"));
    }

    @Test
    void theClientsBytesAndQueryStringGoUpstreamUntouched() throws Exception {
        upstream.stubFor(post(urlPathEqualTo("/anthropic/v1/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(MESSAGE)));
        String body = "{ \"temperature\": 1.0, \"model\":\"claude-x\",\"max_tokens\":1e2,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\/ ok\"}], \"x-unknown\": [] }";

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve("v1/messages?beta=true"))
                .header("content-type", "application/json").header("x-api-key", CLIENT_KEY)
                .header("x-compression", "off")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages?beta=true"))
                .withRequestBody(WireMock.equalTo(body))
                .withHeader("x-compression", absent()));
    }

    @Test
    void streamingIsRelayedEventByEventAndTheSdkReassemblesTheMessage() {
        String sse = """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_02","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: ping
                data: {"type":"ping"}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}

                event: content_block_stop
                data: {"type":"content_block_stop","index":0}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}

                event: message_stop
                data: {"type":"message_stop"}

                """;
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(sse)));

        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> types;
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params())) {
            types = stream.stream().peek(accumulator::accumulate)
                    .map(event -> event.isMessageStart() ? "message_start" : event.isContentBlockDelta()
                            ? "content_block_delta" : event.isMessageStop() ? "message_stop" : "other")
                    .toList();
        }

        Message message = accumulator.message();
        assertEquals("Hello there", message.content().get(0).asText().text());
        assertEquals(3, message.usage().outputTokens());
        assertEquals("message_start", types.get(0));
        assertEquals(2, types.stream().filter("content_block_delta"::equals).count());
        assertEquals("message_stop", types.get(types.size() - 1));
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true"))));
    }

    @Test
    void countTokensPassesThrough() {
        upstream.stubFor(post("/anthropic/v1/messages/count_tokens").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"input_tokens\":42}")));

        long tokens = xApiKeyClient.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
                .addUserMessage("Count me").build()).inputTokens();

        assertEquals(42, tokens);
        upstream.verify(postRequestedFor(urlEqualTo("/anthropic/v1/messages/count_tokens"))
                .withHeader("x-api-key", WireMock.equalTo(CLIENT_KEY))
                .withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.messages[0].content", WireMock.equalTo("Count me"))));
    }

    @Test
    void modelsGoToAnthropicForAnthropicClientsAndToTheOpenAiUpstreamOtherwise() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/anthropic/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("""
                        {"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5",
                                  "created_at":"2025-09-29T00:00:00Z"}],
                         "has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}""")));
        upstream.stubFor(get("/anthropic/v1/models/claude-sonnet-4-5").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("""
                        {"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5",
                         "created_at":"2025-09-29T00:00:00Z"}""")));
        upstream.stubFor(get("/v1/models").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"object\":\"list\",\"data\":[]}")));

        assertEquals("claude-sonnet-4-5", client.models().list().data().get(0).id());
        assertEquals("Claude Sonnet 4.5", client.models().retrieve("claude-sonnet-4-5").displayName());
        upstream.verify(getRequestedFor(urlPathEqualTo("/anthropic/v1/models"))
                .withHeader("anthropic-version", WireMock.matching(".+")));

        // An OpenAI client's call (Authorization, no anthropic-version) stays with the OpenAI upstream; a bare
        // x-api-key caller is Anthropic's.
        assertEquals(200, send(HttpRequest.newBuilder(gateway.resolve("v1/models"))
                .header("Authorization", "Bearer sk-openai").GET()).statusCode());
        upstream.verify(getRequestedFor(urlEqualTo("/v1/models"))
                .withHeader("Authorization", WireMock.equalTo("Bearer sk-openai")));
        HttpResponse<String> bare = send(HttpRequest.newBuilder(gateway.resolve("v1/models?limit=5"))
                .header("x-api-key", CLIENT_KEY).GET());
        assertEquals(200, bare.statusCode(), bare.body());
        upstream.verify(getRequestedFor(urlEqualTo("/anthropic/v1/models?limit=5"))
                .withHeader("x-api-key", WireMock.equalTo(CLIENT_KEY)));
    }

    static Stream<Arguments> upstreamErrors() {
        return Stream.of(
                Arguments.of(400, "invalid_request_error", BadRequestException.class),
                Arguments.of(401, "authentication_error", UnauthorizedException.class),
                Arguments.of(429, "rate_limit_error", RateLimitException.class),
                Arguments.of(500, "api_error", InternalServerException.class),
                Arguments.of(529, "overloaded_error", OverloadedException.class));
    }

    @ParameterizedTest
    @MethodSource("upstreamErrors")
    void upstreamErrorsReachTheSdkUnchanged(int status, String type,
            Class<? extends AnthropicServiceException> expected) {
        String body = "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"upstream says " + status
                + "\"},\"request_id\":\"req_011\"}";
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(status)
                .withHeader("content-type", "application/json").withHeader("request-id", "req_011")
                .withHeader("retry-after", "0").withBody(body)));

        AnthropicServiceException error = assertThrows(AnthropicServiceException.class,
                () -> client.messages().create(params()));

        assertInstanceOf(expected, error);
        assertEquals(status, error.statusCode());
        assertEquals("upstream says " + status, error.apiMessage().orElseThrow());
        assertEquals(type, error.type().orElseThrow().asString());
        assertEquals("req_011", error.requestId().orElseThrow());
        assertEquals(new JsonObject(body).getMap(), error.body().convert(Map.class)); // the upstream's own body
        upstream.verify(1, postRequestedFor(urlEqualTo("/anthropic/v1/messages"))); // relayed, not retried
    }

    @Test
    void gatewayErrorsReachTheSdkInAnthropicsShape() {
        // An extra body property named like a typed one makes the SDK write the key twice: refused, never guessed.
        BadRequestException duplicate = assertThrows(BadRequestException.class,
                () -> client.messages().create(MessageCreateParams.builder().model("claude-x").maxTokens(5)
                        .addUserMessage("hi").putAdditionalBodyProperty("messages", JsonValue.from("twice")).build()));
        assertEquals(ErrorType.Known.INVALID_REQUEST_ERROR, duplicate.type().orElseThrow().known());
        assertTrue(duplicate.apiMessage().orElseThrow().contains("Duplicate field 'messages'"),
                duplicate.apiMessage().toString());
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void invalidBodiesAreAnthropicShaped400sAndNothingIsForwarded() throws Exception {
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
        Map<String, String> cases = Map.of(
                "{\"model\": ", "We could not parse the JSON body",
                "[1, 2]", "must be a JSON object, got an array",
                "{\"model\":\"claude-x\",\"max_tokens\":5}", "messages: Field required",
                "{\"messages\":\"hi\"}", "messages: expected an array, got a string");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.resolve("v1/messages"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(c.getKey())));
            assertEquals(400, response.statusCode(), c.getKey());
            JsonObject json = new JsonObject(response.body());
            assertAnthropicShape(json, "invalid_request_error");
            assertTrue(json.getJsonObject("error").getString("message").contains(c.getValue()), response.body());
        }
        // A target that could leave the base path is refused in the route's dialect too.
        HttpResponse<String> escape = send(HttpRequest.newBuilder(gateway.resolve("v1/messages/x/%2e%2e/batches"))
                .header("x-api-key", CLIENT_KEY).GET());
        assertEquals(400, escape.statusCode(), escape.body());
        assertAnthropicShape(new JsonObject(escape.body()), "invalid_request_error");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    static void assertAnthropicShape(JsonObject json, String type) {
        assertEquals(Set.of("type", "error"), json.fieldNames(), json.encode());
        assertEquals("error", json.getString("type"));
        assertEquals(Set.of("type", "message"), json.getJsonObject("error").fieldNames(), json.encode());
        assertEquals(type, json.getJsonObject("error").getString("type"), json.encode());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
