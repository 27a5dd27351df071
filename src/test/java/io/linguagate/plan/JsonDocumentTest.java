package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.lingua.CompressionJob;
import io.linguagate.lingua.CompressionOptions;
import io.linguagate.lingua.CompressionResult;
import io.linguagate.lingua.TargetTokenCounter;
import io.linguagate.lingua.TextGuide;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON path without a model: which strings become jobs, and how the document is rewritten around them. */
class JsonDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One token per whitespace-separated word: easy to count by hand. */
    private static final TargetTokenCounter WORDS = text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;
    private static final String LONG = "the quick brown fox jumps over the lazy dog again and again until it rests now";

    private static JsonDocument doc(String text) {
        return JsonDocument.of(text, 16, WORDS).orElseThrow();
    }

    private static List<String> jobTexts(JsonDocument doc) {
        return doc.jobs(CompressionOptions.defaults(), t -> TextGuide.NONE).stream()
                .map(j -> j.contexts().get(0)).toList();
    }

    /** Stands in for the model: every job's text upper-cased (a visible, reversible rewrite). */
    private static String rewriteUpper(JsonDocument doc) {
        List<CompressionResult> results = new ArrayList<>();
        for (CompressionJob job : doc.jobs(CompressionOptions.defaults(), t -> TextGuide.NONE)) {
            String out = job.contexts().get(0).toUpperCase();
            results.add(new CompressionResult(out, List.of(out), 0, 0, List.of(), Optional.empty(), List.of()));
        }
        return doc.rewrite(results);
    }

    @Test
    void onlyLongProseValuesAreCompressedKeysNeverAre() {
        String text = "{\"" + LONG + "\": 1, \"a\": \"" + LONG + "\", \"b\": \"short words\", \"c\": \"https://x.test/"
                + "a-very-long-url-without-any-space-in-it-at-all-just-dashes-and-more-dashes\", \"d\": [\"" + LONG
                + "\", {\"e\": \"" + LONG + " too\"}], \"n\": 2.50, \"t\": true, \"z\": null}";
        assertEquals(List.of(LONG, LONG, LONG + " too"), jobTexts(doc(text)));
    }

    @Test
    void rewriteKeepsLayoutEscapesAndOtherValuesByteForByte() throws Exception {
        String text = "{\n  \"id\" : \"caf\\u00e9\",\n  \"n\": 1e0,\n  \"list\": [ 1.0, \"" + LONG
                + " \\u00e9 \\/ end\" ]\n}\n";
        String out = rewriteUpper(doc(text));
        String expected = text.replace("\"" + LONG + " \\u00e9 \\/ end\"",
                JsonStringLiteral.quote((LONG + " \u00e9 / end").toUpperCase()));
        assertEquals(expected, out);
        JsonNode tree = JSON.readTree(out);
        assertEquals("caf\u00e9", tree.path("id").textValue());
    }

    @Test
    void anUnchangedValueKeepsTheClientsEscapes() {
        String text = "[\"" + LONG + " \\u00e9\"]";
        JsonDocument d = doc(text);
        List<CompressionResult> same = List.of(new CompressionResult(LONG + " \u00e9", List.of(), 0, 0, List.of(),
                Optional.empty(), List.of()));
        assertEquals(text, d.rewrite(same));
    }

    @Test
    void aStringThatIsItselfJsonIsData() {
        String inner = "{\"text\": \"" + LONG + "\"}";
        String text = "{\"args\": " + JsonStringLiteral.quote(inner) + "}";
        assertEquals(List.of(), jobTexts(doc(text)));
    }

    @Test
    void notJsonOrTooDeepIsNotADocument() {
        assertFalse(JsonDocument.of("plain text", 16, WORDS).isPresent());
        assertFalse(JsonDocument.of("{\"a\": 1} trailing", 16, WORDS).isPresent());
        assertFalse(JsonDocument.of("{\"a\": 1, \"a\" 2}", 16, WORDS).isPresent());
        assertFalse(JsonDocument.of("\"just a string\"", 16, WORDS).isPresent());
        String deep = "[".repeat(65) + "\"" + LONG + "\"" + "]".repeat(65);
        assertFalse(JsonDocument.of(deep, 16, WORDS).isPresent(), "65 levels: kept whole");
        String ok = "[".repeat(64) + "\"" + LONG + "\"" + "]".repeat(64);
        assertEquals(List.of(LONG), jobTexts(doc(ok)));
    }

    @Test
    void aHugeArrayIsOnePassWithOneJobPerLongString() throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i == 0 ? "" : ",").append(i % 10 == 0 ? JsonStringLiteral.quote(LONG + " " + i) : "\"id-" + i + "\"");
        }
        String text = sb.append("]").toString();
        long start = System.nanoTime();
        JsonDocument d = doc(text);
        assertEquals(2_000, d.jobCount());
        String out = rewriteUpper(d);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "linear, not quadratic");
        JsonNode tree = JSON.readTree(out);
        assertEquals(20_000, tree.size());
        assertEquals("id-1", tree.get(1).textValue());
        assertEquals((LONG + " 10").toUpperCase(), tree.get(10).textValue());
    }
}
