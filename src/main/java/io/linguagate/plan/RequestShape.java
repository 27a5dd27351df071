package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One API's request shape: lists the texts of a request with their role and position, so that one policy, one
 * compressor and one body rewrite serve every API. The shapes, and which fields of each API they list, are in
 * {@link RequestShapes}.
 */
public interface RequestShape {

    /** The API, as a bounded metric label: {@code chat_completions}, {@code responses}, {@code completions}, ... */
    String surface();

    /** The request's texts in body order (strings only: nothing else is ever rewritten). */
    List<RequestText> texts(JsonNode root);
}
