package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.linguagate.chat.ChatCompressionTest.compressed;
import static io.linguagate.chat.ChatCompressionTest.doc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-request controls (headers, the {@code compression} body field, SDK extra body), structured
 * {@code <llmlingua>} segments, protected spans, invalid values, streaming headers and metrics.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class ChatCompressionControlsTest {

    /** At rate 0.9 the 11th percentile is .1 ("the"), so only "the" goes: 8 tokens → 7 per sentence. */
    static String mild(int sentences) {
        return String.join(" ", Collections.nCopies(sentences, "we will ship notes on Monday."));
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/v1")
    URI gateway;

    @BeforeEach
    void stubUpstream() {
        upstream.resetAll();
        upstream.stubFor(WireMock.post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\":\"chatcmpl-2\",\"object\":"
                        + "\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[]}")));
    }

    private static String request(String system, String extra) {
        return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":"
                + io.vertx.core.json.Json.encode(system) + "},{\"role\":\"user\",\"content\":\"ok\"}]" + extra + "}";
    }

    private static ValidatableResponse post(String body, Map<String, String> headers) {
        return given().contentType("application/json").headers(headers).body(body)
                .when().post("/v1/chat/completions").then();
    }

    private JsonNode received() throws Exception {
        var requests = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertEquals(1, requests.size());
        return ChatCompressionTest.JSON.readTree(requests.get(0).getBodyAsString());
    }

    private String sentSystem() throws Exception {
        return received().at("/messages/0/content").asText();
    }

    @Test
    void headerSwitchesCompressionOffAndIsNotForwarded() throws Exception {
        String body = request(doc(10), "");
        post(body, Map.of("x-compression", "off")).statusCode(200)
                .header("x-compression-status", "disabled")
                // Switched off, the request is not even counted: a plain proxy.
                .header("x-compression-original-tokens", "0")
                .header("x-compression-saved-tokens", "0");
        var sent = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0);
        assertEquals(body, sent.getBodyAsString());
        assertFalse(sent.containsHeader("x-compression"));
    }

    @Test
    void headerRateOverridesTheConfiguredRate() throws Exception {
        post(request(doc(10), ""), Map.of("x-compression-rate", "0.9")).statusCode(200)
                .header("x-compression-status", "applied");
        assertEquals(mild(10), sentSystem());
    }

    @Test
    void bodyFieldOverridesAndIsRemovedBeforeForwarding() throws Exception {
        post(request(doc(10), ",\"compression\":{\"rate\":0.9,\"force_tokens\":[\"Monday\"]}"), Map.of())
                .statusCode(200).header("x-compression-status", "applied");
        JsonNode sent = received();
        assertEquals(mild(10), sent.at("/messages/0/content").asText());
        assertFalse(sent.has("compression"));

        upstream.resetRequests();
        post(request(doc(10), ",\"compression\":{\"enabled\":false}"), Map.of()).statusCode(200)
                .header("x-compression-status", "disabled");
        sent = received();
        assertEquals(doc(10), sent.at("/messages/0/content").asText());
        assertFalse(sent.has("compression"));

        upstream.resetRequests();
        post(request(doc(10), ",\"compression\":{\"roles\":[\"developer\"]}"), Map.of()).statusCode(200)
                .header("x-compression-status", "skipped:nothing-to-compress");
        assertEquals(doc(10), sentSystem());

        upstream.resetRequests();
        post(request(doc(10), ",\"compression\":{\"roles\":{\"system\":0.9,\"tool\":false}}"), Map.of())
                .statusCode(200).header("x-compression-status", "applied");
        assertEquals(mild(10), sentSystem());

        upstream.resetRequests();
        post(request(doc(10), ",\"compression\":{\"target_token\":30}"), Map.of()).statusCode(200)
                .header("x-compression-status", "applied");
        assertEquals(compressed(10), sentSystem());
    }

    @Test
    void invalidControlsAre400AndNothingIsForwarded() {
        post(request(doc(10), ""), Map.of("x-compression-rate", "2")).statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("x-compression-rate"));
        post(request(doc(10), ""), Map.of("x-compression", "maybe")).statusCode(400)
                .body("error.param", equalTo("x-compression"));
        post(request(doc(10), ",\"compression\":{\"rate\":\"high\"}"), Map.of()).statusCode(400)
                .body("error.param", equalTo("compression.rate"));
        post(request(doc(10), ",\"compression\":{\"speed\":1}"), Map.of()).statusCode(400)
                .body("error.param", equalTo("compression.speed"));
        post(request(doc(10), ",\"compression\":[1]"), Map.of()).statusCode(400)
                .body("error.param", equalTo("compression"));
        post(request("<llmlingua, rate=1.5>" + doc(10) + "</llmlingua>", ""), Map.of()).statusCode(400)
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("rate"));
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void structuredSegmentsAreHonouredAndTagsStripped() throws Exception {
        String system = "<llmlingua, compress=False>" + doc(10) + "</llmlingua> <llmlingua, rate=0.9>" + doc(10)
                + "</llmlingua> " + doc(10);
        post(request(system, ""), Map.of()).statusCode(200).header("x-compression-status", "applied");
        assertEquals(doc(10) + " " + mild(10) + " " + compressed(10), sentSystem());
    }

    @Test
    void protectedSpansSurviveVerbatim() throws Exception {
        String code = "```\nwe will ship the notes on Monday.\n```";
        String system = doc(10) + " See https://example.test/a/b?c=1 or ship@example.test, 1,234.5 units, "
                + "{\"we\": [\"will\", \"ship\"]}.\n" + code + "\n" + doc(10);
        post(request(system, ""), Map.of()).statusCode(200).header("x-compression-status", "applied");
        String sent = sentSystem();
        for (String span : List.of("https://example.test/a/b?c=1", "ship@example.test", "1,234.5",
                "{\"we\": [\"will\", \"ship\"]}", code)) {
            assertTrue(sent.contains(span), span + " missing from: " + sent);
        }
        assertTrue(sent.length() < system.length());
    }

    @Test
    void streamedAnswersCarryTheHeadersBeforeTheFirstEvent() {
        upstream.stubFor(WireMock.post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream")
                .withBody("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n")));
        post(request(doc(10), ",\"stream\":true"), Map.of()).statusCode(200)
                .header("x-compression-status", "applied")
                .header("x-compression-saved-tokens", "50")
                .body(containsString("data: [DONE]"));
    }

    @Test
    void theOfficialSdkPassesCompressionAsExtraBody() throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("sk-sdk")
                .maxRetries(0).build();
        try {
            var params = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O)
                    .addSystemMessage(doc(10)).addUserMessage("ok")
                    .putAdditionalBodyProperty("compression", JsonValue.from(Map.of("rate", 0.9)))
                    .build();
            var response = client.chat().completions().withRawResponse().create(params);
            assertEquals("applied", response.headers().values("x-compression-status").get(0));
            assertEquals("chatcmpl-2", response.parse().id());
        } finally {
            client.close();
        }
        JsonNode sent = received();
        assertEquals(mild(10), sent.at("/messages/0/content").asText());
        assertFalse(sent.has("compression"));
    }

    @Test
    void savingsAreCountedInMetrics() {
        post(request(doc(10), ""), Map.of()).statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("linguagate_compression_saved_tokens_total{model=\"gpt-4o\","
                        + "surface=\"chat_completions\"}"))
                .body(containsString("linguagate_compression_saved_usd_total{model=\"gpt-4o\","
                        + "surface=\"chat_completions\"}"))
                .body(containsString("linguagate_compression_seconds_count{outcome=\"applied\","
                        + "surface=\"chat_completions\"}"));
    }

    @Test
    void tagsNeverReachTheUpstreamEvenWhenCompressionIsOff() throws Exception {
        String tagged = "Intro. <llmlingua, compress=False>keep me</llmlingua> and <llmlingua, rate=0.5>"
                + mild(3) + "</llmlingua>";
        // Escaped in JSON as a client library might write it: the tags are found in the text, not the bytes.
        String body = request(tagged, "").replace("<llmlingua", "\\u003cllmlingua");
        post(body, Map.of("x-compression", "off")).statusCode(200).header("x-compression-status", "disabled");
        String sent = sentSystem();
        assertFalse(sent.contains("llmlingua"), sent);
        assertEquals("Intro. keep me and " + mild(3), sent);
    }

    @Test
    void aRateOfOneSaysSoInsteadOfTooShort() {
        post(request(mild(6), ""), Map.of("x-compression-rate", "1e0")).statusCode(200)
                .header("x-compression-status", "skipped:rate-1");
    }
}
