package io.linguagate.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BodyRewriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String rewrite(String body, Set<String> remove, Map<String, String> replacements) {
        return new String(BodyRewrite.apply(body.getBytes(UTF_8), remove, replacements), UTF_8);
    }

    private static String replace(String body, String pointer, String value) {
        return rewrite(body, Set.of(), Map.of(pointer, value));
    }

    private static String remove(String body, String... names) {
        return rewrite(body, Set.of(names), Map.of());
    }

    // ---- explicit cases ----

    @Test
    void numbersAndEscapesOutsideTheReplacedValueStayAsWritten() {
        String body = "{\"model\":\"m\",\"temperature\":1.0,\"top_p\":2.50,\"n\":1e0,\"seed\":-0,"
                + "\"user\":\"caf\\u00e9 http:\\/\\/x \\ud83d\\ude00\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"a long \\u00e9 text\"}],\"x\":[1.10,-0.0e-0]}";
        assertEquals(body.replace("\"a long \\u00e9 text\"", "\"short\""),
                replace(body, "/messages/0/content", "short"));
    }

    @Test
    void prettyPrintedBodyKeepsItsLayout() {
        String body = """
                {
                  "model" : "m",
                  "messages" : [
                    {
                      "role" : "system",
                      "content" : "be brief"
                    },
                    {
                      "role" : "user",
                      "content" : "say \\"hi\\"\\n"
                    }
                  ],
                  "temperature" : 0.50,
                  "linguagate" : { "rate" : 0.3 }
                }
                """;
        String expected = """
                {
                  "model" : "m",
                  "messages" : [
                    {
                      "role" : "system",
                      "content" : "be brief"
                    },
                    {
                      "role" : "user",
                      "content" : "hi\\n"
                    }
                  ],
                  "temperature" : 0.50
                }
                """;
        assertEquals(expected, rewrite(body, Set.of("linguagate"), Map.of("/messages/1/content", "hi\n")));
    }

    @Test
    void offsetsAreBytesAfterMultiByteText() {
        // 3-byte CJK, a 4-byte emoji and 2-byte é before the edited value: char and byte offsets differ.
        String body = "{\"中文\":\"日本語 😀 é\",\"k😀\":[\"x\", \"old\" ],\"z\":\"😀\"}";
        assertEquals("{\"中文\":\"日本語 😀 é\",\"k😀\":[\"x\", \"new\" ],\"z\":\"😀\"}", replace(body, "/k😀/1", "new"));
        assertEquals("{\"中文\":\"é\",\"k😀\":[\"x\", \"old\" ],\"z\":\"😀\"}", replace(body, "/中文", "é"));
        assertEquals("{\"中文\":\"日本語 😀 é\",\"k😀\":[\"x\", \"old\" ],\"z\":\"\"}", replace(body, "/z", ""));
        assertEquals("{\"中文\":\"日本語 😀 é\",\"z\":\"😀\"}", remove(body, "k😀"));
    }

    @Test
    void removingTheFirstMiddleLastOrOnlyMemberLeavesValidJson() {
        String body = "{ \"a\" : 1.0 , \"b\" : {\"x\": [2.50]} , \"c\" : \"\\/\" }";
        assertEquals("{ \"b\" : {\"x\": [2.50]} , \"c\" : \"\\/\" }", remove(body, "a"));
        assertEquals("{ \"a\" : 1.0 , \"c\" : \"\\/\" }", remove(body, "b"));
        assertEquals("{ \"a\" : 1.0 , \"b\" : {\"x\": [2.50]} }", remove(body, "c"));
        assertEquals("{ \"b\" : {\"x\": [2.50]} }", remove(body, "a", "c"));
        assertEquals("{ \"a\" : 1.0 }", remove(body, "b", "c"));
        assertEquals("{ \"c\" : \"\\/\" }", remove(body, "a", "b"));
        assertEquals("{  }", remove(body, "a", "b", "c"));
        assertEquals("{  }", remove("{ \"only\" : [ ] }", "only"));
        assertEquals("{}", remove("{\"only\":true}", "only"));
        assertEquals("{\"a\":1}", remove("{\"a\":1,\"b\":null}", "b", "absent"));
    }

    @Test
    void nestedContentPartPointer() {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"one\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}},{\"type\":\"text\",\"text\":\"two\"}]}]}";
        assertEquals(body.replace("\"one\"", "\"1\"").replace("\"two\"", "\"2\""), rewrite(body, Set.of(),
                Map.of("/messages/0/content/0/text", "1", "/messages/0/content/2/text", "2")));
    }

    @Test
    void pointerEscapingOfSlashAndTilde() {
        String body = "{\"a/b\":{\"c~d\":\"x\",\"~1\":\"y\",\"\":\"z\"}}";
        assertEquals("{\"a/b\":{\"c~d\":\"X\",\"~1\":\"y\",\"\":\"z\"}}", replace(body, "/a~1b/c~0d", "X"));
        assertEquals("{\"a/b\":{\"c~d\":\"x\",\"~1\":\"Y\",\"\":\"z\"}}", replace(body, "/a~1b/~01", "Y"));
        assertEquals("{\"a/b\":{\"c~d\":\"x\",\"~1\":\"y\",\"\":\"Z\"}}", replace(body, "/a~1b/", "Z"));
        assertThrows(IllegalArgumentException.class, () -> replace(body, "/a/b/c~d", "X"));
    }

    @Test
    void keysSpelledWithEscapesAreMatchedByTheirDecodedName() {
        String body = "{\"\\u0061\":\"x\",\"b\\/c\":\"y\"}";
        assertEquals("{\"\\u0061\":\"X\",\"b\\/c\":\"y\"}", replace(body, "/a", "X"));
        assertEquals("{\"\\u0061\":\"x\",\"b\\/c\":\"Y\"}", replace(body, "/b~1c", "Y"));
        assertEquals("{\"b\\/c\":\"y\"}", remove(body, "a"));
    }

    @Test
    void newValuesAreEncodedAsMinimalUtf8Literals() throws Exception {
        String value = "q\"b\\n\nr\rt\tb\bf\f\u0000\u0001\u001f\u007f/é中😀\u2028" + "\ud800x\udc00" + "\ude00\ud83d";
        byte[] literal = BodyRewrite.literal(value);
        assertEquals("\"q\\\"b\\\\n\\nr\\rt\\tb\\bf\\f\\u0000\\u0001\\u001f\u007f/é中😀\u2028"
                + "\\ud800x\\udc00\\ude00\\ud83d\"", new String(literal, UTF_8));
        String body = "{\"a\":\"old\",\"n\":2.50}";
        byte[] out = BodyRewrite.apply(body.getBytes(UTF_8), Set.of(), Map.of("/a", value));
        assertEquals(value, JSON.readTree(out).get("a").textValue());
        assertEquals("{\"a\":" + new String(literal, UTF_8) + ",\"n\":2.50}", new String(out, UTF_8));
    }

    @Test
    void pointersThatNameNoStringAreRejected() {
        String body = "{\"n\":1,\"o\":{},\"a\":[\"s\"],\"t\":true,\"z\":null,\"gw\":{\"s\":\"x\"}}";
        for (String pointer : List.of("/n", "/o", "/a", "/a/1", "/t", "/z", "/missing", "", "/", "/a/0/x", "a/0")) {
            assertThrows(IllegalArgumentException.class, () -> replace(body, pointer, "v"), pointer);
        }
        // contradicting edits: a replacement inside a removed member
        assertThrows(IllegalArgumentException.class,
                () -> rewrite(body, Set.of("gw"), Map.of("/gw/s", "v")));
        assertThrows(IllegalArgumentException.class, () -> replace("[\"x\"]", "/0", "v"));
        assertThrows(IllegalArgumentException.class, () -> remove("\"x\"", "x"));
    }

    @Test
    void nothingToDoReturnsTheSameArray() {
        byte[] body = "{\"a\": 1.0, \"b\": \"x\"}".getBytes(UTF_8);
        assertSame(body, BodyRewrite.apply(body, Set.of(), Map.of()));
        assertSame(body, BodyRewrite.apply(body, Set.of("absent", "A"), Map.of()));
    }

    // ---- property test: random bodies, offsets recorded while generating them ----

    private static final int BODIES = 500;

    @Test
    void randomBodiesChangeOnlyTheEditedBytes() throws Exception {
        long base = Long.getLong("bodyrewrite.seed", 0x5EED_B0D7L);
        for (int i = 0; i < BODIES; i++) {
            long seed = base + i;
            try {
                checkOne(seed);
            } catch (Exception | AssertionError e) {
                throw new AssertionError("failed for seed " + seed + " (rerun with -Dbodyrewrite.seed=" + seed + ")", e);
            }
        }
    }

    private static void checkOne(long seed) throws Exception {
        Random random = new Random(seed);
        Generated body = new Generator(random).body();
        byte[] input = body.bytes;

        // Edits: maybe remove some top-level members (and a name the body lacks); replace strings outside them.
        Set<String> remove = new HashSet<>();
        if (!body.members.isEmpty() && random.nextBoolean()) {
            int count = 1 + random.nextInt(Math.min(3, body.members.size()));
            for (int k = 0; k < count; k++) {
                remove.add(body.members.get(random.nextInt(body.members.size())).name);
            }
        }
        if (random.nextInt(4) == 0) {
            remove.add("not-a-member-" + seed);
        }
        List<Literal> candidates = body.strings.stream()
                .filter(s -> !remove.contains(body.members.get(s.member).name)).toList();
        Map<String, String> replacements = new LinkedHashMap<>();
        int count = candidates.isEmpty() ? 0 : random.nextInt(Math.min(4, candidates.size() + 1));
        for (int k = 0; k < count; k++) {
            replacements.put(candidates.get(random.nextInt(candidates.size())).pointer, randomValue(random));
        }

        byte[] output = BodyRewrite.apply(input, remove, replacements);

        boolean removesSome = body.members.stream().anyMatch(m -> remove.contains(m.name));
        if (!removesSome && replacements.isEmpty()) {
            assertSame(input, output);
            return;
        }
        // (1) valid JSON, (2) the input's tree with the edits applied
        JsonNode actual = JSON.readTree(output);
        ObjectNode expectedTree = (ObjectNode) JSON.readTree(input);
        expectedTree.remove(remove);
        replacements.forEach((pointer, value) -> {
            JsonPointer at = JsonPointer.compile(pointer);
            JsonNode parent = expectedTree.at(at.head());
            if (parent instanceof ObjectNode object) {
                object.put(at.last().getMatchingProperty(), value);
            } else {
                ((ArrayNode) parent).set(at.last().getMatchingIndex(), TextNode.valueOf(value));
            }
        });
        assertEquals(expectedTree, actual);
        // (3) byte for byte: the generator's ranges, kept or substituted
        assertArrayEquals(expectedBytes(body, remove, replacements), output,
                () -> "input:  " + new String(input, UTF_8) + "\noutput: " + new String(output, UTF_8));
    }

    /**
     * The documented removal rule, stated over the generator's offsets: the bytes before the first key and after
     * the last value stay; each kept member stays, followed by the separator after it unless it is the last kept.
     */
    private static byte[] expectedBytes(Generated body, Set<String> remove, Map<String, String> replacements) {
        byte[] in = body.bytes;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Member> members = body.members;
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (!remove.contains(members.get(i).name)) {
                kept.add(i);
            }
        }
        List<Literal> replaced = body.strings.stream().filter(s -> replacements.containsKey(s.pointer))
                .sorted(Comparator.comparingInt(s -> s.start)).toList();
        out.write(in, 0, members.get(0).keyStart);
        for (int j = 0; j < kept.size(); j++) {
            Member member = members.get(kept.get(j));
            int at = member.keyStart;
            for (Literal literal : replaced) {
                if (literal.start >= member.keyStart && literal.end <= member.valueEnd) {
                    out.write(in, at, literal.start - at);
                    out.writeBytes(expectedLiteral(replacements.get(literal.pointer)));
                    at = literal.end;
                }
            }
            out.write(in, at, member.valueEnd - at);
            if (j < kept.size() - 1) {
                int next = members.get(kept.get(j) + 1).keyStart;
                out.write(in, member.valueEnd, next - member.valueEnd);
            }
        }
        int tail = members.get(members.size() - 1).valueEnd;
        out.write(in, tail, in.length - tail);
        return out.toByteArray();
    }

    /** The literal the spec asks for, by code point (a lone surrogate comes out of codePoints() as itself). */
    private static byte[] expectedLiteral(String value) {
        StringBuilder s = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '\b' -> s.append("\\b");
                case '\f' -> s.append("\\f");
                default -> {
                    if (cp < 0x20 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                        s.append(String.format("\\u%04x", cp));
                    } else {
                        s.appendCodePoint(cp);
                    }
                }
            }
        });
        return s.append('"').toString().getBytes(UTF_8);
    }

    private static final String[] VALUE_PIECES = {"a", "Z", " ", "0", "\"", "\\", "\n", "\r", "\t", "\b", "\f",
        "\u0000", "\u0001", "\u001f", "\u007f", "/", "é", "中文", "😀", "\u2028", "\ud800", "\udc00", "\ud83d",
        "\\u00e9", "~", "}", "]", ","};

    private static String randomValue(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(7); n > 0; n--) {
            s.append(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)]);
        }
        return s.toString();
    }

    record Literal(String pointer, int start, int end, int member) {
    }

    record Member(String name, int keyStart, int valueEnd) {
    }

    record Generated(byte[] bytes, List<Member> members, List<Literal> strings) {
    }

    /** Random JSON text built as UTF-8 bytes, recording where each top-level member and string value lies. */
    private static final class Generator {
        // {spelling in JSON, decoded text}
        private static final String[][] STRING_PIECES = {{"a", "a"}, {"Hello", "Hello"}, {" ", " "}, {"7", "7"},
            {"\\\"", "\""}, {"\\\\", "\\"}, {"\\/", "/"}, {"/", "/"}, {"\\n", "\n"}, {"\\t", "\t"}, {"\\r", "\r"},
            {"\\b", "\b"}, {"\\f", "\f"}, {"\\u00e9", "é"}, {"\\u00E9", "é"}, {"é", "é"}, {"中文", "中文"},
            {"😀", "😀"}, {"\\ud83d\\ude00", "😀"}, {"\\u0000", "\u0000"}, {"\\u2028", "\u2028"}, {"~", "~"},
            {"~1", "~1"}, {"{", "{"}, {"]", "]"}, {",", ","}, {":", ":"}, {"\\u005c", "\\"}, {"\\u0022", "\""}};
        private static final String[] NUMBERS = {"0", "-0", "1", "1.0", "2.50", "1e0", "1E+2", "-3.25e-3", "0.000",
            "12345678901234567890123", "6.02214076E23", "-1.5E-10", "1e400", "-0.0e-0", "10"};
        private static final String[][] LAYOUTS = {{""}, {" "}, {"", " "}, {"", "\n", "\n  ", "\n    "},
            {" ", "\t", "\r\n", "  ", "", "\n\t "}};

        private final Random random;
        private final String[] layout;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Member> members = new ArrayList<>();
        private final List<Literal> strings = new ArrayList<>();
        private int member = -1;

        Generator(Random random) {
            this.random = random;
            this.layout = LAYOUTS[random.nextInt(LAYOUTS.length)];
        }

        Generated body() {
            whitespace();
            emit("{");
            int n = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(6);
            Set<String> keys = new HashSet<>();
            whitespace();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    emit(",");
                    whitespace();
                }
                int keyStart = out.size();
                String key = key(keys);
                member = i;
                whitespace();
                emit(":");
                whitespace();
                value("/" + escape(key), 1);
                members.add(new Member(key, keyStart, out.size()));
                whitespace();
            }
            emit("}");
            whitespace();
            return new Generated(out.toByteArray(), members, strings);
        }

        private void value(String pointer, int depth) {
            int kind = random.nextInt(10);
            if (kind >= 7 && depth < 4) {
                if (kind < 9) {
                    object(pointer, depth + 1);
                } else {
                    array(pointer, depth + 1);
                }
            } else if (kind < 4 || kind >= 7) {
                int start = out.size();
                string();
                strings.add(new Literal(pointer, start, out.size(), member));
            } else if (kind < 6) {
                emit(NUMBERS[random.nextInt(NUMBERS.length)]);
            } else {
                emit(List.of("true", "false", "null").get(random.nextInt(3)));
            }
        }

        private void object(String pointer, int depth) {
            emit("{");
            whitespace();
            Set<String> keys = new HashSet<>();
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                if (i > 0) {
                    emit(",");
                    whitespace();
                }
                String key = key(keys);
                whitespace();
                emit(":");
                whitespace();
                value(pointer + "/" + escape(key), depth);
                whitespace();
            }
            emit("}");
        }

        private void array(String pointer, int depth) {
            emit("[");
            whitespace();
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                if (i > 0) {
                    emit(",");
                    whitespace();
                }
                value(pointer + "/" + i, depth);
                whitespace();
            }
            emit("]");
        }

        /** A key unique within its object (by decoded text); returns the decoded text. */
        private String key(Set<String> taken) {
            while (true) {
                String[] spelled = randomString(3);
                if (taken.add(spelled[1])) {
                    emit("\"" + spelled[0] + "\"");
                    return spelled[1];
                }
            }
        }

        private String string() {
            String[] spelled = randomString(8);
            emit("\"" + spelled[0] + "\"");
            return spelled[1];
        }

        private String[] randomString(int maxPieces) {
            StringBuilder spelling = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(maxPieces + 1); n > 0; n--) {
                String[] piece = STRING_PIECES[random.nextInt(STRING_PIECES.length)];
                spelling.append(piece[0]);
                text.append(piece[1]);
            }
            return new String[] {spelling.toString(), text.toString()};
        }

        private void whitespace() {
            emit(layout[random.nextInt(layout.length)]);
        }

        private void emit(String text) {
            out.writeBytes(text.getBytes(UTF_8));
        }

        private static String escape(String key) {
            return key.replace("~", "~0").replace("/", "~1");
        }
    }
}
