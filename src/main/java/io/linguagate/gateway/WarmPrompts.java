package io.linguagate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.plan.RequestShape;
import io.linguagate.plan.RequestShapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The request bodies of {@code linguagate.compression.warm-prompts}: a JSON Lines file, one chat completions body
 * ({@code messages}) or Responses body ({@code input} / {@code instructions}) per line, blank lines ignored.
 */
record WarmPrompts(List<Entry> entries) {

    /** One body and the API shape that lists its texts. */
    record Entry(int line, RequestShape shape, ObjectNode body) {
    }

    /** @throws IllegalArgumentException naming the line that is not such a body, or an unreadable file */
    static WarmPrompts read(Path file, ObjectMapper json) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not JSON: "
                        + e.getOriginalMessage());
            }
            if (!(node instanceof ObjectNode body) || !body.path("model").isTextual()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " must be a request body object with "
                        + "a \"model\"");
            }
            RequestShape shape;
            if (body.path("messages").isArray()) {
                shape = RequestShapes.CHAT;
            } else if (body.has("input") || body.path("instructions").isTextual()) {
                shape = RequestShapes.RESPONSES;
            } else {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has neither \"messages\" (chat "
                        + "completions) nor \"input\"/\"instructions\" (Responses)");
            }
            entries.add(new Entry(i + 1, shape, body));
        }
        return new WarmPrompts(List.copyOf(entries));
    }
}
