package io.linguagate.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An error the gateway answers itself, in the shape OpenAI clients parse: {@code {"error":{"message","type","param",
 * "code"}}}. On Anthropic routes the same error is written in Anthropic's shape ({@link ErrorDialect},
 * {@link AnthropicError}): status and message stay, the type follows from the status. Messages are written for the
 * caller and never contain credentials or request bodies.
 */
public record OpenAiError(int status, String type, String code, String param, String message) {

    public static OpenAiError invalidRequest(String code, String param, String message) {
        return new OpenAiError(400, "invalid_request_error", code, param, message);
    }

    /** The same error as a server-sent event, for a stream whose status line has already gone out. */
    public Buffer toEvent() {
        return Buffer.buffer("event: error\ndata: ").appendBuffer(toJson()).appendString("\n\n");
    }

    public Buffer toJson() {
        JsonObject error = new JsonObject()
                .put("message", message)
                .put("type", type)
                .put("param", param)
                .put("code", code);
        return new JsonObject().put("error", error).toBuffer();
    }
}
