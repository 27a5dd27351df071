package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.linguagate.chat.ChatCompressionTest.compressed;
import static io.linguagate.chat.ChatCompressionTest.doc;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI Responses API and legacy completions through the gateway with the official OpenAI Java SDK (and raw
 * HTTP where the bytes matter), the tiny scripted model of {@link ChatCompressionProfile}: what is compressed, what
 * is kept byte for byte, headers on streams, typed errors.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class ResponsesAndCompletionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String QUESTION = "Which one ships first?";
    static final String RESPONSE = """
            {"id":"resp_1","object":"response","created_at":1700000000,"status":"completed","model":"gpt-4o-mini",
             "output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","text":"Monday.","annotations":[]}]}],
             "parallel_tool_calls":true,"tool_choice":"auto","tools":[],"error":null,"incomplete_details":null,
             "instructions":null,"metadata":{},"temperature":1.0,"top_p":1.0,
             "usage":{"input_tokens":10,"output_tokens":2,"total_tokens":12,
                      "input_tokens_details":{"cached_tokens":0},"output_tokens_details":{"reasoning_tokens":0}}}""";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/v1")
    URI gateway;

    private OpenAIClient client;

    @BeforeEach
    void setUp() {
        upstream.resetAll();
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("sk-test").maxRetries(0).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private JsonNode received(String path) throws Exception {
        var requests = upstream.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, requests.size());
        return JSON.readTree(requests.get(0).getBodyAsString());
    }

    private static ResponseCreateParams conversation() {
        return ResponseCreateParams.builder().model("gpt-4o-mini").instructions(doc(17)).inputOfResponse(List.of(
                ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content(doc(17)).build()),
                ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.ASSISTANT)
                        .content(doc(17)).build()),
                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId("call_1").output(doc(17)).build()),
                ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content(QUESTION).build())))
                .build();
    }

    @Test
    void responsesCompressInstructionsEarlierTurnsAndToolOutputKeepTheRest() throws Exception {
        upstream.stubFor(WireMock.post("/v1/responses").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(RESPONSE)));
        HttpResponseFor<Response> raw = client.responses().withRawResponse().create(conversation());
        Response response = raw.parse();
        assertEquals("resp_1", response.id());
        assertEquals(List.of("applied"), raw.headers().values("x-compression-status"));

        JsonNode sent = received("/v1/responses");
        assertEquals(compressed(17), sent.path("instructions").textValue());
        JsonNode input = sent.path("input");
        assertEquals(compressed(17), input.get(0).path("content").textValue());
        assertEquals(doc(17), input.get(1).path("content").textValue(), "assistant turns are kept");
        assertEquals(compressed(17), input.get(2).path("output").textValue());
        assertEquals(QUESTION, input.get(3).path("content").textValue());
    }

    @Test
    void responsesStreamIsRelayedWithTheHeadersBeforeTheFirstEvent() {
        String events = """
                event: response.created
                data: {"type":"response.created","sequence_number":0,"response":%s}

                event: response.output_text.delta
                data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Mon","logprobs":[]}

                event: response.output_text.delta
                data: {"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"day.","logprobs":[]}

                event: response.completed
                data: {"type":"response.completed","sequence_number":3,"response":%s}

                """.formatted(RESPONSE.replace("\n", ""), RESPONSE.replace("\n", ""));
        upstream.stubFor(WireMock.post("/v1/responses").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(events)));
        ResponseCreateParams params = conversation();
        var raw = client.responses().withRawResponse().createStreaming(params);
        assertEquals(List.of("applied"), raw.headers().values("x-compression-status"));
        try (StreamResponse<ResponseStreamEvent> stream = raw.parse()) {
            List<ResponseStreamEvent> all = stream.stream().toList();
            String text = all.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
                    .collect(Collectors.joining());
            assertEquals("Monday.", text);
            assertTrue(all.get(all.size() - 1).isCompleted());
        }
    }

    @Test
    void responsesBodyChangesOnlyInCompressedStrings() {
        upstream.stubFor(WireMock.post("/v1/responses").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(RESPONSE)));
        String raw = "{\"model\":\"gpt-4o-mini\",\"instructions\":" + quoted(doc(17)) + ",\"previous_response_id\":"
                + "\"resp_0\",\"temperature\":1.0,\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"a\","
                + "\"schema\":{\"type\":\"object\",\"description\":" + quoted(doc(17)) + "}}},\"tools\":[{\"type\":"
                + "\"function\",\"name\":\"f\",\"description\":" + quoted(doc(17)) + ",\"parameters\":{}}],"
                + "\"input\":[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"encrypted_content\":\"gAAAA\\/x==\","
                + "\"summary\":[]},{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":" + quoted(doc(17))
                + "},{\"type\":\"input_image\",\"image_url\":\"https://x.test/i.png\"}]},{\"role\":\"user\","
                + "\"content\":\"caf\\u00e9?\"}],\"compression\":{\"rate\":0.5}}";
        given().contentType("application/json").body(raw.getBytes(StandardCharsets.UTF_8)).post("/v1/responses")
                .then().statusCode(200).header("x-compression-status", "applied");
        String sent = new String(upstream.findAll(postRequestedFor(urlEqualTo("/v1/responses"))).get(0).getBody(),
                StandardCharsets.UTF_8);
        String instructions = "\"instructions\":" + quoted(doc(17));
        String part = "{\"type\":\"input_text\",\"text\":" + quoted(doc(17)) + "}";
        String expected = raw.replace(instructions, "\"instructions\":" + quoted(compressed(17)))
                .replace(part, "{\"type\":\"input_text\",\"text\":" + quoted(compressed(17)) + "}")
                .replace(",\"compression\":{\"rate\":0.5}", "");
        assertEquals(expected, sent, "schemas, tool descriptions, reasoning items and the question untouched");
    }

    @Test
    void otherResponsesCallsPassThrough() {
        upstream.stubFor(WireMock.get("/v1/responses/resp_1").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(RESPONSE)));
        assertEquals("resp_1", client.responses().retrieve("resp_1").id());
        upstream.verify(getRequestedFor(urlEqualTo("/v1/responses/resp_1")));
    }

    @Test
    void upstreamErrorsReachTheSdkAsItsTypedException() {
        upstream.stubFor(WireMock.post("/v1/responses").willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withBody(
                        "{\"error\":{\"message\":\"bad input\",\"type\":\"invalid_request_error\",\"param\":\"input\","
                                + "\"code\":null}}")));
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.responses().create(conversation()));
        assertTrue(e.getMessage().contains("bad input"), e.getMessage());
    }

    @Test
    void legacyCompletionPromptIsCompressedButForItsFinalSentence() throws Exception {
        upstream.stubFor(WireMock.post("/v1/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("""
                        {"id":"cmpl-1","object":"text_completion","created":1700000000,"model":"gpt-3.5-turbo-instruct",
                         "choices":[{"text":" Monday.","index":0,"logprobs":null,"finish_reason":"stop"}]}""")));
        String prompt = doc(17) + " " + QUESTION;
        HttpResponseFor<Completion> raw = client.completions().withRawResponse().create(CompletionCreateParams.builder()
                .model("gpt-3.5-turbo-instruct").prompt(prompt).maxTokens(5).build());
        assertEquals(" Monday.", raw.parse().choices().get(0).text());
        assertEquals(List.of("applied; price-unknown"), raw.headers().values("x-compression-status"));
        JsonNode sent = received("/v1/completions");
        String text = sent.path("prompt").textValue();
        assertTrue(text.endsWith(" " + QUESTION), text);
        assertTrue(text.length() < prompt.length(), text);
        assertEquals(5, sent.path("max_tokens").intValue());
    }

    @Test
    void tokenIdPromptsAndBadTypesAreHandled() {
        upstream.stubFor(WireMock.post("/v1/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\":\"cmpl-1\",\"choices\":[]}")));
        String ids = "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":[[1,2,3],[4,5]]}";
        given().contentType("application/json").body(ids).post("/v1/completions").then().statusCode(200)
                .header("x-compression-status", "skipped:nothing-to-compress");
        assertEquals(ids, upstream.findAll(postRequestedFor(urlEqualTo("/v1/completions"))).get(0).getBodyAsString());
        given().contentType("application/json").body("{\"model\":\"m\",\"prompt\":5}").post("/v1/completions")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("prompt"));
        given().contentType("application/json").body("{\"model\":\"m\",\"input\":{}}").post("/v1/responses")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("input"));
    }

    private static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
