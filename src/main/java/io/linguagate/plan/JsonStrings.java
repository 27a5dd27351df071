package io.linguagate.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The string values of a JSON document (a tool result, a JSON block in prose) that are worth compressing, each with
 * the position of its literal, so the document can be rewritten string by string: keys, numbers, literals, layout
 * and every other string stay byte-identical.
 */
final class JsonStrings {

    /** Deeper documents are kept whole: nesting that deep is data, not prose, and bounds the parser's stack. */
    static final int MAX_DEPTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
            .build();

    /** A string value: its literal {@code [start, end)} in the text (quotes included) and its decoded text. */
    record Value(int start, int end, String text) {
    }

    private JsonStrings() {
    }

    /**
     * The values of {@code text[from, to)} that {@code worthIt} accepts, in order; {@code null} when that range is
     * not exactly one JSON object or array (surrounding whitespace allowed) or is nested deeper than
     * {@value #MAX_DEPTH}.
     */
    static List<Value> find(String text, int from, int to, Predicate<String> worthIt) {
        String doc = text.substring(from, to);
        List<Value> out = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(doc)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return null;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return null;
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) {
                            return null;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> {
                        String value = p.getText();
                        if (worthIt.test(value)) {
                            int start = (int) p.currentTokenLocation().getCharOffset();
                            out.add(new Value(from + start, from + literalEnd(doc, start), value));
                        }
                    }
                    default -> {
                    }
                }
            }
            return p.nextToken() == null ? out : null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON (or not within the parser's limits): the caller keeps the text as text
        }
    }

    /** End of the string literal whose opening quote is at {@code quote}. */
    private static int literalEnd(String doc, int quote) {
        for (int i = quote + 1; i < doc.length(); i++) {
            char c = doc.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        throw new IllegalStateException("unterminated string literal in parsed JSON at " + quote);
    }
}
