package io.linguagate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;

/** Request bodies read as JSON trees, with parse errors a client can act on (and that never quote the body). */
final class JsonBodies {

    private static final ObjectReader JSON = JsonMapper.builder()
            // Error messages must not quote the request body back (it may hold private data).
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // {"messages":[...],"messages":[...]}: the gateway would compress and price one, the upstream read another.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A rewritten body must carry the client's numbers as written (0.1 stays 0.1, not a double's digits).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build()
            .reader();

    private JsonBodies() {
    }

    /** The body as a JSON tree; 400 {@code invalid_json} when empty or malformed. */
    static JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_json", null,
                    "The request body is empty; expected a JSON object."));
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new GatewayException(OpenAiError.invalidRequest("invalid_json", null,
                    "We could not parse the JSON body of your request" + where + ": " + reason(e)));
        } catch (IOException e) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_json", null,
                    "We could not read the JSON body of your request."));
        } catch (NumberFormatException | ArithmeticException e) {
            // 1e9999999999: valid JSON syntax, but no number any API could use.
            throw new GatewayException(OpenAiError.invalidRequest("invalid_json", null,
                    "The JSON body of your request holds a number whose exponent is out of range."));
        }
    }

    /** "an array", "a string", ... for error messages. */
    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase();
        };
    }

    /** Jackson's own words, without the location it appends (already given as line and column). */
    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int source = message.indexOf(" (start marker at");
        if (source < 0) {
            source = message.indexOf(" at [Source");
        }
        message = source < 0 ? message : message.substring(0, source);
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        if (message.startsWith("Duplicate field")) {
            return message; // the key's name, which the client needs to find it
        }
        // Jackson quotes the offending token ("Unrecognized token 'hunter2…'"): the body's content stays out.
        return QUOTED.matcher(message).replaceAll(m -> KEYWORDS.contains(m.group()) ? m.group() : "'…'");
    }

    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final Set<String> KEYWORDS = Set.of("'null'", "'true'", "'false'");
}
