package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chat completions through the gateway with a real (tiny) model: what the upstream receives for each policy rule,
 * the savings headers and their arithmetic, the cache.
 *
 * <p>A "doc" below is {@code n} copies of "we will ship the notes on Monday." (8 tokens each, one chunk). With 7 or
 * more copies the 51st-percentile threshold is exactly .60 (see CompressEndpointTest), so each sentence keeps
 * "ship notes Monday": 8 tokens → 3.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class ChatCompressionTest {

    static final String SENTENCE = "we will ship the notes on Monday.";
    static final ObjectMapper JSON = new ObjectMapper();

    @WireMockUpstream.Inject
    WireMockServer upstream;

    static String doc(int sentences) {
        return String.join(" ", Collections.nCopies(sentences, SENTENCE));
    }

    static String compressed(int sentences) {
        return String.join(" ", Collections.nCopies(sentences, "ship notes Monday"));
    }

    @BeforeEach
    void stubUpstream() {
        upstream.resetAll();
        upstream.stubFor(WireMock.post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\":\"chatcmpl-1\",\"choices\":[]}")));
    }

    static Response send(Object body, Map<String, String> headers) throws Exception {
        return given().contentType("application/json").headers(headers).body(JSON.writeValueAsString(body))
                .when().post("/v1/chat/completions");
    }

    JsonNode received() throws Exception {
        var requests = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertEquals(1, requests.size());
        return JSON.readTree(requests.get(0).getBodyAsString());
    }

    @Test
    void compressesContextKeepsTheQuestionAndReportsTheSavings() throws Exception {
        Map<String, Object> request = Map.of("model", "gpt-4o-mini", "temperature", 0.1, "messages", List.of(
                Map.of("role", "system", "content", doc(9)),
                Map.of("role", "user", "content", doc(9)),
                Map.of("role", "assistant", "content", doc(9)),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", doc(9)),
                Map.of("role", "user", "content", "Hello world, we will ship?")));
        Response response = send(request, Map.of());
        response.then().statusCode(200)
                .header("x-compression-status", "applied")
                // 4 docs of 72 tokens + the 7-token question = 295; three docs go 72 → 27: 295 − 135 = 160
                .header("x-compression-original-tokens", "295")
                .header("x-compression-compressed-tokens", "160")
                .header("x-compression-saved-tokens", "135")
                .header("x-compression-ratio", "1.8x")
                // 135 tokens at gpt-4o-mini's $0.15 per 1M input tokens
                .header("x-compression-saved-usd", "0.00002025")
                // doc(9) appears in no other test of this application: nothing cached yet
                .header("x-compression-cache", "miss");
        assertTrue(Integer.parseInt(response.header("x-compression-latency-ms")) >= 0);
        assertTrue(response.header("x-compression-model").startsWith("linguagate-tiny-model"));

        JsonNode sent = received();
        assertEquals(compressed(9), sent.at("/messages/0/content").asText(), "system");
        assertEquals(compressed(9), sent.at("/messages/1/content").asText(), "earlier user message");
        assertEquals(doc(9), sent.at("/messages/2/content").asText(), "assistant kept");
        assertEquals(compressed(9), sent.at("/messages/3/content").asText(), "tool result");
        assertEquals("call_1", sent.at("/messages/3/tool_call_id").asText());
        assertEquals("Hello world, we will ship?", sent.at("/messages/4/content").asText(), "question kept");
        assertEquals("0.1", sent.get("temperature").toString(), "numbers as the client wrote them");
    }

    @Test
    void warmUpPromptsAreCachedBeforeTheFirstRequestWithThem() throws Exception {
        // Both bodies of the warm-up file (ChatCompressionProfile) compressed once the model was ready.
        long until = System.currentTimeMillis() + 20_000;
        String warmed = "";
        while (System.currentTimeMillis() < until) {
            warmed = given().get("/q/metrics").asString().lines()
                    .filter(l -> l.startsWith("linguagate_compression_warm_prompts_total")).findFirst().orElse("");
            if (warmed.endsWith(" 2.0")) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(warmed.endsWith(" 2.0"), "warm-up counter: " + warmed);
        // The first request with the warmed system prompt: no inference, the cached result.
        send(Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "system", "content", doc(21)),
                Map.of("role", "user", "content", "ok"))), Map.of())
                .then().statusCode(200)
                .header("x-compression-status", "applied")
                .header("x-compression-cache", "hit");
        assertEquals(compressed(21), received().at("/messages/0/content").asText());
    }

    @Test
    void developerMessagesAndLegacyFunctionResultsAreCompressed() throws Exception {
        send(Map.of("model", "gpt-4o", "messages", List.of(
                Map.of("role", "developer", "content", doc(11)),
                Map.of("role", "function", "name", "lookup", "content", doc(11)),
                Map.of("role", "user", "content", "ok"))), Map.of())
                .then().statusCode(200).header("x-compression-status", "applied");
        JsonNode sent = received();
        assertEquals(compressed(11), sent.at("/messages/0/content").asText());
        assertEquals(compressed(11), sent.at("/messages/1/content").asText());
        assertEquals("lookup", sent.at("/messages/1/name").asText());
    }

    @Test
    void aRepeatedSystemPromptIsAnsweredFromTheCache() throws Exception {
        String system = doc(12);
        Map<String, Object> first = Map.of("model", "gpt-4o", "messages", List.of(
                Map.of("role", "system", "content", system), Map.of("role", "user", "content", "ok")));
        send(first, Map.of()).then().statusCode(200).header("x-compression-cache", "miss");
        send(first, Map.of()).then().statusCode(200).header("x-compression-cache", "hit")
                .header("x-compression-status", "applied");
        Map<String, Object> mixed = Map.of("model", "gpt-4o", "messages", List.of(
                Map.of("role", "system", "content", system), Map.of("role", "user", "content", doc(13)),
                Map.of("role", "user", "content", "ok")));
        send(mixed, Map.of()).then().statusCode(200).header("x-compression-cache", "partial");
    }

    @Test
    void onlyTextPartsAreCompressedAndStructuredFieldsAreUntouched() throws Exception {
        Map<String, Object> image = Map.of("type", "image_url", "image_url", Map.of("url", "https://x.test/a.png"));
        List<Object> tools = List.of(Map.of("type", "function", "function", Map.of("name", "lookup",
                "description", doc(5), "parameters", Map.of("type", "object"))));
        Map<String, Object> request = Map.of("model", "gpt-4o", "tools", tools,
                "response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "s",
                        "schema", Map.of("description", doc(5)))),
                "messages", List.of(
                        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", doc(10)), image)),
                        Map.of("role", "assistant", "content", "", "tool_calls", List.of(Map.of("id", "call_9",
                                "type", "function", "function", Map.of("name", "lookup",
                                        "arguments", "{\"q\":\"" + SENTENCE + "\"}")))),
                        Map.of("role", "tool", "tool_call_id", "call_9", "content",
                                List.of(Map.of("type", "text", "text", doc(8)))),
                        Map.of("role", "user", "content", "ok?")));
        send(request, Map.of()).then().statusCode(200).header("x-compression-status", "applied");
        JsonNode sent = received();
        JsonNode original = JSON.valueToTree(request);
        assertEquals(compressed(10), sent.at("/messages/0/content/0/text").asText());
        assertEquals(original.at("/messages/0/content/1"), sent.at("/messages/0/content/1"), "image part");
        assertEquals(original.at("/messages/1"), sent.at("/messages/1"), "tool call");
        assertEquals(compressed(8), sent.at("/messages/2/content/0/text").asText());
        assertEquals(original.get("tools"), sent.get("tools"));
        assertEquals(original.get("response_format"), sent.get("response_format"));
    }

    @Test
    void shortTextsAreSkippedAndTheOriginalBytesForwarded() throws Exception {
        String body = "{\"model\":\"gpt-4o\",  \"messages\":[{\"role\":\"system\",\"content\":\"" + doc(2)
                + "\"},{\"role\":\"user\",\"content\":\"ok\"}], \"x_vendor\": 1.50}";
        given().contentType("application/json").body(body).when().post("/v1/chat/completions").then()
                .statusCode(200)
                .header("x-compression-status", "skipped:nothing-to-compress")
                .header("x-compression-saved-tokens", "0")
                .header("x-compression-cache", "none");
        assertEquals(body, upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0)
                .getBodyAsString());
    }

    @Test
    void aVeryLongLastUserMessageKeepsItsFinalSentence() throws Exception {
        // 10 sentences (80 tokens) exceed last-user-min-tokens (60): all but the final question at rate 0.8.
        String question = doc(10) + "\nWill we ship on Monday?";
        send(Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "user", "content", question))), Map.of())
                .then().statusCode(200).header("x-compression-status", "applied");
        String sent = received().at("/messages/0/content").asText();
        assertTrue(sent.endsWith("\nWill we ship on Monday?"), sent);
        assertTrue(sent.length() < question.length(), sent);
    }

    @Test
    void unknownModelsReportTokensWithoutDollars() throws Exception {
        send(Map.of("model", "my-local-llama", "messages", List.of(
                Map.of("role", "system", "content", doc(10)), Map.of("role", "user", "content", "ok"))), Map.of())
                .then().statusCode(200)
                .header("x-compression-status", "applied; price-unknown")
                .header("x-compression-saved-tokens", "50")
                .header("x-compression-saved-usd", "0");
    }

    @Test
    void assistantTextIsNotCompressed() throws Exception {
        send(Map.of("model", "gpt-4o", "messages", List.of(
                Map.of("role", "assistant", "content", doc(10)), Map.of("role", "user", "content", "ok"))), Map.of())
                .then().statusCode(200).header("x-compression-status", "skipped:nothing-to-compress");
        assertFalse(received().toString().contains("compression"));
    }
}
