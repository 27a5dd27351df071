package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * A Messages body over {@code linguagate.max-body-size} is a 413 {@code request_too_large} the SDK parses, and never
 * reaches the upstream (on /v1/messages and on the count_tokens passthrough). Shares {@link BodyLimitTest}'s gateway
 * (4 KB limit).
 */
@QuarkusTest
@TestProfile(BodyLimitTest.SmallLimit.class)
@WithTestResource(WireMockUpstream.class)
class AnthropicBodyLimitTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    @Test
    void anOversizedBodyIs413RequestTooLarge() {
        upstream.resetAll();
        String large = "x".repeat(5000);
        AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .apiKey("sk-ant-any-key").maxRetries(0).build();
        try {
            AnthropicServiceException message = assertThrows(AnthropicServiceException.class,
                    () -> client.messages().create(MessageCreateParams.builder().model("claude-x").maxTokens(8)
                            .addUserMessage(large).build()));
            AnthropicServiceException count = assertThrows(AnthropicServiceException.class,
                    () -> client.messages().countTokens(MessageCountTokensParams.builder().model("claude-x")
                            .addUserMessage(large).build()));
            for (AnthropicServiceException error : new AnthropicServiceException[] {message, count}) {
                assertEquals(413, error.statusCode());
                assertEquals("request_too_large", error.type().orElseThrow().asString());
                assertTrue(error.apiMessage().orElseThrow().contains("linguagate.max-body-size"),
                        error.apiMessage().toString());
            }
        } finally {
            client.close();
        }
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }
}
