package io.linguagate.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An error in the shape Anthropic clients parse: {@code {"type":"error","error":{"type","message"}}}. The gateway
 * reports every error it answers itself as an {@link OpenAiError} (status, type, code, message); on Anthropic
 * routes {@link ErrorDialect#ANTHROPIC} renders it through {@link #of(OpenAiError)}, so the status and message stay
 * the gateway's and only the shape and the type follow Anthropic's.
 *
 * <p>The one mapping from status to Anthropic's error types (Anthropic's documented types; a 4xx it lists no type
 * for is an {@code invalid_request_error}, as Anthropic does):
 * <table>
 * <caption>status → type</caption>
 * <tr><td>400, 408, other 4xx</td><td>{@code invalid_request_error}</td></tr>
 * <tr><td>401</td><td>{@code authentication_error}</td></tr>
 * <tr><td>403</td><td>{@code permission_error}</td></tr>
 * <tr><td>404</td><td>{@code not_found_error}</td></tr>
 * <tr><td>413</td><td>{@code request_too_large}</td></tr>
 * <tr><td>429</td><td>{@code rate_limit_error}</td></tr>
 * <tr><td>503, 529 (overloaded, circuit open, shutting down)</td><td>{@code overloaded_error}</td></tr>
 * <tr><td>504 (upstream timeout)</td><td>{@code timeout_error}</td></tr>
 * <tr><td>500, 502, other 5xx</td><td>{@code api_error}</td></tr>
 * </table>
 */
public record AnthropicError(int status, String type, String message) {

    public static AnthropicError of(OpenAiError error) {
        return new AnthropicError(error.status(), typeFor(error.status()), error.message());
    }

    /** Anthropic's error type for an HTTP status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    public Buffer toJson() {
        JsonObject error = new JsonObject().put("type", type).put("message", message);
        return new JsonObject().put("type", "error").put("error", error).toBuffer();
    }
}
