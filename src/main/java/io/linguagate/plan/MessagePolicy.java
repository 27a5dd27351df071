package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.TargetTokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Which texts of a chat request are compressed, and at which rate. Compressed: texts of the configured roles
 * (system, developer, tool, function results, earlier user messages) of at least {@code min-tokens}. Kept: the
 * last user message unless very long (then all but its final sentence), assistant messages, short texts, and
 * everything that is not a text: tool definitions, tool calls, schemas, images, audio, files.
 */
final class MessagePolicy {

    private final CompressionConfig config;

    MessagePolicy(CompressionConfig config) {
        this.config = config;
    }

    /** The request's texts in order, each with the policy's decision; {@code counts[i]} gets text i's tokens. */
    List<TextSlot> plan(JsonNode messages, RequestSettings settings, TargetTokenCounter counter, List<Integer> counts) {
        List<TextSlot> slots = new ArrayList<>();
        visit(messages, (pointer, role, text, lastUser) ->
                slots.add(decide(pointer, role, text, lastUser, settings, counter, counts)));
        return slots;
    }

    /** Every text of the request, all kept (to strip tags from a request that is not compressed). */
    static List<TextSlot> texts(JsonNode messages) {
        List<TextSlot> slots = new ArrayList<>();
        visit(messages, (pointer, role, text, lastUser) ->
                slots.add(new TextSlot(pointer, role, text, TextSlot.Treatment.KEEP, 1.0)));
        return slots;
    }

    /** One text of a request: where it sits (a JSON pointer), whose it is, and whether it is the question. */
    private interface TextVisitor {
        void text(String pointer, String role, String text, boolean lastUser);
    }

    /** Message {@code content} strings and the {@code text} of content parts of type {@code text}, in order. */
    private static void visit(JsonNode messages, TextVisitor visitor) {
        if (messages == null || !messages.isArray()) {
            return;
        }
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if ("user".equals(messages.get(i).path("role").asText(null))) {
                lastUser = i;
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!(message instanceof ObjectNode object)) {
                continue;
            }
            String role = message.path("role").asText("");
            JsonNode content = object.get("content");
            if (content != null && content.isTextual()) {
                visitor.text("/messages/" + i + "/content", role, content.textValue(),
                        i == lastUser);
            } else if (content != null && content.isArray()) {
                for (int j = 0; j < content.size(); j++) {
                    if (content.get(j) instanceof ObjectNode p && "text".equals(p.path("type").asText(null))
                            && p.path("text").isTextual()) {
                        visitor.text("/messages/" + i + "/content/" + j + "/text", role,
                                p.get("text").textValue(), i == lastUser);
                    }
                }
            }
        }
    }

    private TextSlot decide(String pointer, String role, String text,
            boolean lastUser, RequestSettings settings, TargetTokenCounter counter, List<Integer> counts) {
        int tokens = counter.count(text);
        counts.add(tokens);
        TextSlot kept = new TextSlot(pointer, role, text, TextSlot.Treatment.KEEP, 1.0);
        if (lastUser) {
            return tokens > config.lastUserMinTokens()
                    ? kept.with(TextSlot.Treatment.COMPRESS_HEAD, config.lastUserRate()) : kept;
        }
        if (settings.roles().contains(role) && tokens >= config.minTokens()) {
            return kept.with(TextSlot.Treatment.COMPRESS, settings.rateFor(role));
        }
        return kept;
    }

    /**
     * Splits off the final sentence of {@code text} (the actual question): the text after the last sentence end
     * ({@code . ! ?} or a line break) that precedes the final sentence's own end.
     *
     * @return the index where the final sentence starts (0 when the text is one sentence)
     */
    static int finalSentenceStart(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        for (int i = end - 2; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n' || ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return 0;
    }
}
