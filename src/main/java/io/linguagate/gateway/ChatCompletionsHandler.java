package io.linguagate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.linguagate.config.GatewayConfig;
import io.linguagate.upstream.UpstreamHeaders;
import io.linguagate.upstream.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * {@code POST /v1/chat/completions}: reads the body (bounded), checks it is a chat request, forwards it.
 * The body is read as a JSON tree so nothing the client sent is lost; when the gateway has nothing to change,
 * the client's original bytes go upstream untouched.
 */
@ApplicationScoped
public class ChatCompletionsHandler {

    private static final ObjectReader JSON = JsonMapper.builder()
            // Error messages must not quote the request body back (it may hold private data).
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private final long maxBodyBytes;
    private final UpstreamHeaders headers;
    private final Forwarder forwarder;
    private final ErrorResponder errors;

    ChatCompletionsHandler(GatewayConfig config, UpstreamHeaders headers, Forwarder forwarder,
            ErrorResponder errors) {
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.headers = headers;
        this.forwarder = forwarder;
        this.errors = errors;
    }

    public void handle(RoutingContext ctx) {
        BoundedBody.read(ctx.request(), maxBodyBytes).onComplete(read -> {
            if (read.failed()) {
                errors.fail(ctx, read.cause());
                return;
            }
            try {
                Buffer body = read.result();
                validate(parse(body));
                forwarder.forward(ctx, new UpstreamRequest(HttpMethod.POST, Forwarder.pathBelowV1(ctx),
                        headers.forUpstream(ctx.request().headers(), true), body, null));
            } catch (RuntimeException e) {
                errors.fail(ctx, e);
            }
        });
    }

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
        }
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
        return newline < 0 ? message : message.substring(0, newline);
    }

    static void validate(JsonNode root) {
        if (!root.isObject()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", null,
                    "The request body must be a JSON object, got " + describe(root) + "."));
        }
        JsonNode messages = root.get("messages");
        if (messages == null || messages.isMissingNode()) {
            throw new GatewayException(OpenAiError.invalidRequest("missing_required_parameter", "messages",
                    "Missing required parameter: 'messages'."));
        }
        if (!messages.isArray()) {
            throw new GatewayException(OpenAiError.invalidRequest("invalid_type", "messages",
                    "Invalid type for 'messages': expected an array, but got " + describe(messages) + " instead."));
        }
    }

    private static String describe(JsonNode node) {
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
}
