package io.linguagate.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.InternalServerException;
import com.anthropic.models.messages.MessageCreateParams;
import io.linguagate.support.LogCapture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * An Anthropic upstream nobody listens on: the SDK gets a 502 {@code api_error} in Anthropic's shape, after the
 * Anthropic upstream's own retries, and the log names {@code linguagate.anthropic.base-url}. Shares
 * {@link UnreachableUpstreamTest}'s gateway.
 */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.NothingListening.class)
class AnthropicUnreachableTest {

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void connectionRefusedIs502ApiErrorForTheSdk() {
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .apiKey("sk-ant-any-key").maxRetries(0).build();
        try (LogCapture logs = LogCapture.install()) {
            InternalServerException error = assertThrows(InternalServerException.class,
                    () -> client.messages().create(MessageCreateParams.builder().model("claude-x").maxTokens(8)
                            .addUserMessage("hi").build()));
            assertEquals(502, error.statusCode());
            assertEquals("api_error", error.type().orElseThrow().asString());
            assertEquals("The gateway could not reach the upstream API. Try again later.",
                    error.apiMessage().orElseThrow());
            assertTrue(logs.all().contains("linguagate.anthropic.base-url"), logs.all());
        } finally {
            client.close();
        }
        // Its retries are counted as the Anthropic upstream's, apart from the OpenAI upstream's series.
        given().when().get("/q/metrics").then()
                .body(containsString("linguagate_anthropic_upstream_retries_total{reason=\"unreachable\"} 2.0"))
                .body(containsString("linguagate_anthropic_upstream_latency_seconds_count{outcome=\"unreachable\"}"))
                .body(containsString("linguagate_anthropic_upstream_circuit_state 0.0"));
    }
}
