package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one mapping from the gateway's statuses to Anthropic's error types, and the dialects' bytes. */
class AnthropicErrorTest {

    @ParameterizedTest
    @CsvSource({"400, invalid_request_error", "408, invalid_request_error", "422, invalid_request_error",
            "401, authentication_error", "403, permission_error", "404, not_found_error",
            "413, request_too_large", "429, rate_limit_error", "500, api_error", "502, api_error",
            "503, overloaded_error", "529, overloaded_error", "504, timeout_error"})
    void statusMapsToAnthropicsType(int status, String type) {
        assertEquals(type, AnthropicError.typeFor(status));
    }

    @ParameterizedTest
    @CsvSource({"ANTHROPIC", "OPENAI"})
    void eachDialectWritesItsOwnShapeAsBodyAndAsEvent(ErrorDialect dialect) {
        OpenAiError error = new OpenAiError(503, "api_error", "gateway_shutting_down", null, "Shutting \"down\".");
        String json = dialect.json(error).toString();
        String expected = dialect == ErrorDialect.ANTHROPIC
                ? "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Shutting \\\"down\\\".\"}}"
                : error.toJson().toString();
        assertEquals(new JsonObject(expected), new JsonObject(json));
        assertEquals("event: error\ndata: " + json + "\n\n", dialect.event(error).toString());
    }
}
