package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.linguagate.chat.ChatCompressionTest.compressed;
import static io.linguagate.chat.ChatCompressionTest.doc;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.SourceWords;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The content users really send, through {@code /v1/chat/completions} with the tiny scripted model (see
 * {@link ChatCompressionProfile}): numbers and dates, JSON tool results (compact, indented, fenced in prose),
 * multilingual text. Asserted on the bytes the upstream received: protected items verbatim, valid JSON in the
 * source's layout, no invented words, and the rest of the body byte for byte the client's.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class RealContentTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @BeforeEach
    void stubUpstream() {
        upstream.resetAll();
        upstream.stubFor(WireMock.post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\":\"chatcmpl-1\",\"choices\":[]}")));
    }

    private Response post(String rawBody) {
        return given().contentType("application/json").body(rawBody.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/chat/completions");
    }

    private String receivedBody() {
        var requests = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertEquals(1, requests.size());
        return new String(requests.get(0).getBody(), StandardCharsets.UTF_8);
    }

    private static String quoted(String s) throws Exception {
        return JSON.writeValueAsString(s);
    }

    /** A body with one compressible text ({@code role}) before a short question, written by hand. */
    private static String body(String role, String text) throws Exception {
        String before = role.equals("tool")
                ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"notes\\\"}\"}}]},"
                        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":" + quoted(text) + "}"
                : "{\"role\":\"" + role + "\",\"content\":" + quoted(text) + "}";
        return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Find the notes.\"},"
                + before + ",{\"role\":\"user\",\"content\":\"Which one ships first?\"}]}";
    }

    private String sentText(int message) throws Exception {
        return JSON.readTree(receivedBody()).path("messages").get(message).path("content").textValue();
    }

    private static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    @Test
    void numberHeavyReportKeepsEveryFigureAndGluesNothing() throws Exception {
        String sentence = "we will ship the notes on Monday. Revenue rose 12% to $4.2M on 2024-01-05 at 10:30, the "
                + "notes on TCK-4100 and v1.2.3 cost 3.75 each. Item 14. Report the state-of-the-art notes on "
                + "Monday. Section 1. Purpose: ship the notes.";
        String report = String.join(" ", java.util.Collections.nCopies(6, sentence));
        post(body("system", report)).then().statusCode(200).header("x-compression-status", "applied");
        String sent = sentText(1);
        for (String item : List.of("12%", "$4.2M", "2024-01-05", "10:30", "TCK-4100", "v1.2.3", "3.75", "14", "1")) {
            assertEquals(occurrences(report, item), occurrences(sent, item), item + " in: " + sent);
        }
        assertFalse(sent.contains("14Report") || sent.contains("1Purpose"), sent);
        assertEquals(List.of(), SourceWords.invented(report, sent), sent);
        assertTrue(sent.length() < report.length() * 0.8, "compressed: " + sent);
    }

    @Test
    void compactJsonToolResultIsCompressedStringByStringInItsOwnLayout() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 3; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"TCK-410").append(i)
                    .append("\",\"url\":\"https:\\/\\/example.test\\/n?i=").append(i)
                    .append("\",\"title\":\"Caf\\u00e9 notes on shipping\",\"score\":2.50,\"ratio\":1.0,\"big\":1e0,")
                    .append("\"ok\":true,\"none\":null,\"published\":\"2024-01-05\",\"description\":")
                    .append(quoted(doc(8))).append("}");
        }
        String tool = json.append("]").toString();
        post(body("tool", tool)).then().statusCode(200).header("x-compression-status", "applied");
        String sent = sentText(2);
        assertEquals(tool.replace(quoted(doc(8)), quoted(compressed(8))), sent);
        JSON.readTree(sent); // valid JSON
    }

    @Test
    void indentedJsonToolResultKeepsItsIndentation() throws Exception {
        String tool = "{\n  \"results\": [\n    {\n      \"id\": \"a1b2c3d\",\n      \"score\": 0.50,\n"
                + "      \"description\": " + quoted(doc(8)) + "\n    },\n    {\n      \"id\": \"e4f5a6b\",\n"
                + "      \"score\": -3.5e2,\n      \"description\": " + quoted(doc(9)) + "\n    }\n  ],\n"
                + "  \"total\": 2\n}";
        post(body("tool", tool)).then().statusCode(200).header("x-compression-status", "applied");
        String sent = sentText(2);
        assertEquals(tool.replace(quoted(doc(8)), quoted(compressed(8))).replace(quoted(doc(9)),
                quoted(compressed(9))), sent);
    }

    @Test
    void jsonFencedInProseIsCompressedAsJsonAndTheProseAsText() throws Exception {
        String fenced = "```json\n{\n  \"summary\": " + quoted(doc(8)) + ",\n  \"score\": 2.50\n}\n```";
        String system = doc(8) + "\n" + fenced + "\n" + doc(8);
        post(body("system", system)).then().statusCode(200).header("x-compression-status", "applied");
        String sent = sentText(1);
        String expectedFence = fenced.replace(quoted(doc(8)), quoted(compressed(8)));
        assertTrue(sent.contains(expectedFence), sent);
        assertFalse(sent.contains(doc(1)), "the prose around the block is compressed too: " + sent);
        int open = sent.indexOf("```json\n") + 8;
        JSON.readTree(sent.substring(open, sent.indexOf("```", open)));
    }

    @Test
    void onlyCompressedStringsChangeEveryOtherByteIsTheClients() throws Exception {
        String raw = "{ \"model\" : \"gpt-4o-mini\", \"temperature\": 1.0, \"top_p\": 2.50, \"n\": 1e0,\n"
                + "  \"messages\": [ {\"role\": \"system\", \"content\": " + quoted(doc(15)) + "},\n"
                + "    {\"role\": \"user\", \"content\": \"caf\\u00e9 \\/ \\ud83d\\ude00 ok?\"} ],\n"
                + "  \"compression\": {\"rate\": 0.5}, \"metadata\": {\"k\": \"\\u0041\"} }";
        post(raw).then().statusCode(200).header("x-compression-status", "applied");
        String expected = raw.replace(quoted(doc(15)), quoted(compressed(15)))
                .replace("  \"compression\": {\"rate\": 0.5}, ", "  ");
        assertEquals(expected, receivedBody());
    }

    @Test
    void multilingualTextInventsNoWord() throws Exception {
        String sentence = "Le caf\u00e9 est tr\u00e8s bon, na\u00efve Stra\u00dfe. \u65e5\u672c\u8a9e\u306e\u30c6\u30ad"
                + "\u30b9\u30c8\u3067\u3059\u3002 we will ship the notes on Monday. \ud83d\ude80 \u0e20\u0e32\u0e29\u0e32"
                + "\u0e44\u0e17\u0e22 \ud55c\uad6d\uc5b4 cafe\u0301 ship-notes!";
        String text = String.join(" ", java.util.Collections.nCopies(5, sentence));
        post(body("system", text)).then().statusCode(200).header("x-compression-status", "applied");
        String sent = sentText(1);
        assertEquals(List.of(), SourceWords.invented(text, sent), sent);
        assertTrue(sent.length() < text.length() * 0.8, "compressed: " + sent);
    }

    @Test
    void aTextThatIsAllProtectedIsForwardedAsSent() throws Exception {
        String data = String.join(" ", java.util.Collections.nCopies(8,
                "2024-01-05 10:30 https://example.test/x?y=1 $4.2M 12% TCK-4100"));
        String raw = body("tool", data);
        post(raw).then().statusCode(200).header("x-compression-status", "skipped:all-protected");
        assertEquals(raw, receivedBody());
    }

    @Test
    void aJsonStringThatIsItselfJsonAndShortStringsAreKept() throws Exception {
        String nested = "{\"args\":" + quoted("{\"text\": \"" + doc(3) + "\"}") + ",\"note\":\"short words here\","
                + "\"body\":" + quoted(doc(8)) + "}";
        post(body("tool", nested)).then().statusCode(200).header("x-compression-status", "applied");
        JsonNode sent = JSON.readTree(sentText(2));
        assertEquals("{\"text\": \"" + doc(3) + "\"}", sent.path("args").textValue());
        assertEquals("short words here", sent.path("note").textValue());
        assertEquals(compressed(8), sent.path("body").textValue());
    }

    @Test
    void aLargeCodeBlockDoesNotUseUpTheBudgetOfTheProseAroundIt() throws Exception {
        String code = "```python\n" + "def ship(notes):\n    return [n for n in notes if n.day == 'Monday']\n".repeat(6)
                + "```";
        String system = doc(14) + "\n" + code + "\n" + doc(14);
        post(body("system", system)).then().statusCode(200).header("x-compression-status", "applied");
        // Each prose part is judged at its own rate, as if the block were not there; the block is verbatim.
        assertEquals(compressed(14) + "\n" + code + "\n" + compressed(14), sentText(1));
    }
}
