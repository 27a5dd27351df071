package io.linguagate.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.linguagate.plan.JsonStringLiteral;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request body rewritten by splicing its bytes: only the replaced string literals and the removed top-level
 * members change, so the client's numbers ({@code 2.50}, {@code 1e0}), escapes, key order and whitespace reach
 * the upstream exactly as sent (a Jackson tree written back out would respell them).
 */
final class BodyRewrite {

    private static final JsonFactory JSON = JsonFactory.builder()
            // Pointers must name one value each: a duplicate key would make "/messages" ambiguous.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Exception messages must not quote the body (it may hold private data).
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();


    /** Bytes {@code [start, end)} of the body replaced by {@code bytes} (empty: deleted). */
    private record Edit(int start, int end, byte[] bytes) {
    }

    private BodyRewrite() {
    }

    /**
     * @param body a JSON object (already validated strict JSON: no duplicate keys), UTF-8
     * @param removeTopLevel names of top-level members to delete (absent ones ignored)
     * @param replacements JSON pointer (e.g. "/messages/3/content", "/messages/0/content/1/text", RFC 6901
     *     escaping) → new string value; each pointer must name an existing string value, else
     *     IllegalArgumentException (also when it lies inside a removed member: the two edits contradict)
     * @return the rewritten bytes; {@code body} itself (same array) when nothing is removed or replaced
     */
    static byte[] apply(byte[] body, Set<String> removeTopLevel, Map<String, String> replacements) {
        if (removeTopLevel.isEmpty() && replacements.isEmpty()) {
            return body;
        }
        List<Edit> edits = edits(body, removeTopLevel, replacements);
        return edits.isEmpty() ? body : splice(body, edits);
    }

    /** One streaming pass: the byte ranges to replace or delete, sorted and checked not to overlap. */
    private static List<Edit> edits(byte[] body, Set<String> removeTopLevel, Map<String, String> replacements) {
        List<Edit> edits = new ArrayList<>();
        Set<String> found = new HashSet<>();
        // Top-level members: where each key starts, where its value ends, and whether it goes.
        List<int[]> members = new ArrayList<>();
        List<Boolean> removed = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("The body is not a JSON object.");
            }
            int depth = 1;
            int keyStart = -1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new IllegalArgumentException("The body ends inside its JSON object.");
                }
                int start = tokenStart(parser, body);
                int end;
                switch (token) {
                    case FIELD_NAME -> {
                        if (depth == 1) {
                            keyStart = expect(body, start, '"');
                            removed.add(removeTopLevel.contains(parser.currentName()));
                        }
                        continue;
                    }
                    case START_OBJECT, START_ARRAY -> {
                        depth++;
                        continue; // its end is known at the matching END token
                    }
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        end = expect(body, start, token == JsonToken.END_OBJECT ? '}' : ']') + 1;
                    }
                    case VALUE_STRING -> {
                        // Not getCurrentLocation(): strings are decoded lazily, so it still points inside this one.
                        end = stringEnd(body, expect(body, start, '"'));
                        if (!replacements.isEmpty()) {
                            String pointer = parser.getParsingContext().pathAsPointer().toString();
                            String value = replacements.get(pointer);
                            if (value != null) {
                                edits.add(new Edit(start, end, literal(value)));
                                found.add(pointer);
                            }
                        }
                    }
                    default -> end = scalarEnd(body, start);
                }
                if (depth == 1) { // a top-level member's value just ended (depth 0: the body's own '}')
                    members.add(new int[] {keyStart, end});
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("The body is not valid JSON.", e);
        }
        for (String pointer : replacements.keySet()) {
            if (!found.contains(pointer)) {
                throw new IllegalArgumentException("No string value at JSON pointer " + pointer);
            }
        }
        addRemovals(members, removed, edits);
        edits.sort(Comparator.comparingInt(Edit::start));
        for (int i = 1; i < edits.size(); i++) {
            if (edits.get(i).start() < edits.get(i - 1).end()) {
                throw new IllegalArgumentException("A replaced value lies inside a removed top-level member.");
            }
        }
        return edits;
    }

    /**
     * Removed members as deletions that leave valid JSON: a member before the last kept one goes with the comma
     * after it; the members after the last kept one go with the comma before them; all of them: {@code {}}.
     */
    private static void addRemovals(List<int[]> members, List<Boolean> removed, List<Edit> edits) {
        int lastKept = removed.lastIndexOf(false);
        for (int i = 0; i < lastKept; i++) {
            if (removed.get(i)) {
                edits.add(new Edit(members.get(i)[0], members.get(i + 1)[0], new byte[0]));
            }
        }
        int last = members.size() - 1;
        if (last > lastKept) { // a trailing run of removed members, as one deletion
            int from = lastKept < 0 ? members.get(0)[0] : members.get(lastKept)[1];
            edits.add(new Edit(from, members.get(last)[1], new byte[0]));
        }
    }

    private static byte[] splice(byte[] body, List<Edit> edits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        int at = 0;
        for (Edit edit : edits) {
            out.write(body, at, edit.start() - at);
            out.write(edit.bytes(), 0, edit.bytes().length);
            at = edit.end();
        }
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    private static int tokenStart(JsonParser parser, byte[] body) {
        long offset = parser.currentTokenLocation().getByteOffset();
        if (offset < 0 || offset >= body.length) { // -1: Jackson decoded the bytes as UTF-16/32, not UTF-8
            throw new IllegalArgumentException("The body is not UTF-8 JSON.");
        }
        return (int) offset;
    }

    /** A guard on Jackson's offsets: a token must start with the byte its type implies. */
    private static int expect(byte[] body, int at, char expected) {
        if (body[at] != expected) {
            throw new IllegalStateException("JSON token offset " + at + " does not point at '" + expected + "'");
        }
        return at;
    }

    /** The offset just past the closing quote of the literal opening at {@code quote}. */
    private static int stringEnd(byte[] body, int quote) {
        // UTF-8 continuation bytes are >= 0x80, so they never look like '"' or '\\'.
        int i = quote + 1;
        while (i < body.length && body[i] != '"') {
            i += body[i] == '\\' ? 2 : 1;
        }
        if (i >= body.length) {
            throw new IllegalArgumentException("The body ends inside a string.");
        }
        return i + 1;
    }

    /** The offset just past a number, true, false or null: the next delimiter (or the end, defensively). */
    private static int scalarEnd(byte[] body, int start) {
        int i = start;
        while (i < body.length) {
            byte b = body[i];
            if (b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * {@code value} as a JSON string literal in UTF-8: quotes, backslashes and control characters escaped, a
     * lone surrogate as {@code \\uXXXX} (UTF-8 cannot hold it: getBytes would write '?'), all else raw.
     */
    static byte[] literal(String value) {
        // The quoted form has no unpaired surrogate left (escaped), so its UTF-8 bytes are exact.
        return JsonStringLiteral.quote(value).getBytes(StandardCharsets.UTF_8);
    }
}
