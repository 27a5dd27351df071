package io.linguagate.plan;

import static io.linguagate.plan.SegmenterChecks.show;
import static io.linguagate.plan.SegmenterChecks.split;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inline JSON: protected only when it parses as strict JSON. The hand-written recogniser is
 * checked against Jackson on generated near-JSON, and on inputs built to make a naive
 * bracket matcher quadratic (they must simply finish).
 */
class JsonSpanTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void objectWithNestedStringsContainingBrackets() {
        String json = "{\"a\": \"x}y\", \"b\": [\"]\", \"[\", {\"c\": \"\\\"}\"}], \"d\": \"{[\"}";
        assertEquals("Data «" + json + "» end", show("Data " + json + " end"));
    }

    @Test
    void prettyPrintedJsonIsOneSpan() {
        String json = "{\n  \"items\": [\n    {\"id\": 1, \"ok\": true},\n    {\"id\": 2, \"ok\": null}\n  ]\n}";
        assertEquals("Body:\n«" + json + "»\nThanks", show("Body:\n" + json + "\nThanks"));
    }

    @Test
    void citationsAreJsonTemplateWordsAreNot() {
        // "[1]" parses as a JSON array: protecting it is harmless; "{name}" does not parse
        assertEquals("as shown «[1]», «[2, 3]» for {name} in [see above]",
                show("as shown [1], [2, 3] for {name} in [see above]"));
        assertEquals("«{}» «[]» «[ ]»", show("{} [] [ ]"));
    }

    @Test
    void unbalancedOrBrokenJsonIsText() {
        assertEquals("{\"a\": [1, 2}", show("{\"a\": [1, 2}"));
        assertEquals("{\"a\": 1", show("{\"a\": 1"));
        assertEquals("[1, 2,] {\"a\":1,} {'a': 1} [01] [1.] [.5] [True] [1 2] {\"a\" 1}",
                show("[1, 2,] {\"a\":1,} {'a': 1} [01] [1.] [.5] [True] [1 2] {\"a\" 1}"));
        assertEquals("{\"a\": \"x\ny\"} {\"a\": \"\\x\"}", show("{\"a\": \"x\ny\"} {\"a\": \"\\x\"}"));
    }

    @Test
    void innerJsonOfABrokenOuterIsProtected() {
        assertEquals("{\"a\": «[1, 2]»", show("{\"a\": [1, 2]"));
        assertEquals("[[[«[1]»", show("[[[[1]"));
    }

    @Test
    void escapesNumbersAndLiterals() {
        String json = "{\"s\": \"line\\nbreak \\u00e9 \\\\ \\/ \\t\", \"n\": [-0.5e+10, 0, 1.25, 2E-3], \"l\": [true, false, null]}";
        assertEquals("«" + json + "»", show(json));
    }

    @Test
    void jsonRightAfterWords() {
        assertEquals("value:«[1,2]».", show("value:[1,2]."));
        assertEquals("arr«[0]»", show("arr[0]"));
    }

    @Test
    void deepNestingHasNoStackOverflow() {
        int depth = 100_000;
        String json = "[".repeat(depth) + "]".repeat(depth);
        assertEquals(List.of(new Segment(json, false, OptionalDouble.empty())), split(json, false));
    }

    @Test
    void adversarialInputsFinish() {
        // each would cost a naive "try every bracket" matcher O(n^2); these must just finish
        int n = 200_000;
        assertEquals(1, split("[".repeat(n), true).size());
        assertEquals(1, split("{\"a\":".repeat(n / 5), true).size());
        assertEquals(1, split("[ \"[".repeat(n / 4), true).size());
        assertEquals(1, split("[" + "1,".repeat(n / 2), false).size());
        assertEquals(1, split("` a ``b\n".repeat(n / 8), true).size());
        assertEquals(1, split("```\n".repeat(n / 4), true).size());
    }

    @Test
    void agreesWithJacksonOnNearJson() throws IOException {
        Random random = new Random(20240501L);
        for (int i = 0; i < 20_000; i++) {
            String candidate = mutate(value(random, 0), random);
            if (candidate.isEmpty() || (candidate.charAt(0) != '[' && candidate.charAt(0) != '{')) {
                continue;
            }
            assertEquals(jacksonEnd(candidate), ourEnd(candidate), () -> "on " + candidate);
        }
    }

    /** End of the first JSON value per Jackson, or -1 if it does not parse. */
    private static int jacksonEnd(String s) throws IOException {
        try (JsonParser parser = MAPPER.createParser(s)) {
            parser.readValueAsTree();
            return (int) parser.currentLocation().getCharOffset();
        } catch (JacksonException e) {
            return -1;
        }
    }

    private static int ourEnd(String s) {
        int[] spans = ProtectedSpans.find(s, 0, s.length(), false);
        return spans.length > 0 && spans[0] == 0 ? spans[1] : -1;
    }

    private static String value(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(2) : depth > 3 ? 2 + random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0: {
                StringBuilder b = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b.append(k > 0 ? (random.nextBoolean() ? "," : ", ") : "").append(value(random, depth + 1));
                }
                return b.append(random.nextBoolean() ? "]" : " ]").toString();
            }
            case 1: {
                StringBuilder b = new StringBuilder("{");
                int n = random.nextInt(4);
                for (int k = 0; k < n; k++) {
                    b.append(k > 0 ? "," : "").append(string(random)).append(random.nextBoolean() ? ":" : " : ")
                            .append(value(random, depth + 1));
                }
                return b.append('}').toString();
            }
            case 2:
                return string(random);
            case 3:
                return new String[] {"0", "-1", "12.5", "1e3", "-0.25E-2", "100"}[random.nextInt(6)];
            case 4:
                return new String[] {"true", "false", "null"}[random.nextInt(3)];
            default:
                return random.nextBoolean() ? "[]" : "{}";
        }
    }

    private static String string(Random random) {
        String[] parts = {"a", "]", "[", "{", "}", ",", ":", "\\\"", "\\\\", "\\n", "\\u00e9", " ", "é", "\\/"};
        StringBuilder b = new StringBuilder("\"");
        int n = random.nextInt(5);
        for (int k = 0; k < n; k++) {
            b.append(parts[random.nextInt(parts.length)]);
        }
        return b.append('"').toString();
    }

    /** Most candidates get one random edit (delete, insert or replace), so near misses are common. */
    private static String mutate(String json, Random random) {
        if (random.nextInt(4) == 0 || json.isEmpty()) {
            return json + (random.nextBoolean() ? "" : " tail]");
        }
        String alphabet = "[]{}\",:0123456789.eE+- tfnrul\\a\n\tu";
        int at = random.nextInt(json.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        return switch (random.nextInt(3)) {
            case 0 -> json.substring(0, at) + json.substring(at + 1);
            case 1 -> json.substring(0, at) + c + json.substring(at);
            default -> json.substring(0, at) + c + json.substring(at + 1);
        };
    }
}
