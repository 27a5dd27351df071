package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.linguagate.gateway.GatewayKeyTest.ANTHROPIC_KEY;
import static io.linguagate.gateway.GatewayKeyTest.GATEWAY_KEY;
import static io.linguagate.gateway.GatewayKeyTest.UPSTREAM_KEY;
import static io.linguagate.gateway.GatewayKeyTest.WRONG_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.MessageCreateParams;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shared gateway holding an Anthropic key ({@code linguagate.anthropic.api-key}) as well as the OpenAI upstream's:
 * Anthropic clients present a gateway key as {@code x-api-key} or {@code Authorization: Bearer}, the Anthropic
 * upstream only ever sees the gateway's own {@code x-api-key}, and that key never comes back in a relayed error.
 * Shares {@link GatewayKeyTest}'s gateway.
 */
@QuarkusTest
@TestProfile(GatewayKeyTest.SharedGateway.class)
@WithTestResource(WireMockUpstream.class)
class AnthropicGatewayKeyTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("""
                        {"id":"msg_01","type":"message","role":"assistant","model":"claude-x",
                         "content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,
                         "usage":{"input_tokens":1,"output_tokens":1}}""")));
    }

    private AnthropicClient sdk(UnaryOperator<AnthropicOkHttpClient.Builder> credentials) {
        return credentials.apply(AnthropicOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .maxRetries(0)).build();
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder().model("claude-x").maxTokens(16).addUserMessage("hi")
                .putAdditionalHeader("anthropic-beta", "interleaved-thinking-2025-05-14").build();
    }

    @Test
    void theGatewayKeyIsAcceptedAsXApiKeyOrBearerAndOnlyTheGatewaysAnthropicKeyGoesUpstream() {
        AnthropicClient asXApiKey = sdk(b -> b.apiKey(GATEWAY_KEY).putHeader("X-Api-Key", GATEWAY_KEY));
        AnthropicClient asBearer = sdk(b -> b.authToken(GATEWAY_KEY));
        try {
            assertEquals("ok", asXApiKey.messages().create(params()).content().get(0).asText().text());
            assertEquals("ok", asBearer.messages().create(params()).content().get(0).asText().text());
        } finally {
            asXApiKey.close();
            asBearer.close();
        }
        upstream.verify(2, postRequestedFor(urlEqualTo("/anthropic/v1/messages"))
                .withHeader("x-api-key", WireMock.equalTo(ANTHROPIC_KEY))
                .withHeader("Authorization", absent())
                .withHeader("api-key", absent())
                .withHeader("anthropic-version", WireMock.matching(".+"))
                .withHeader("anthropic-beta", WireMock.equalTo("interleaved-thinking-2025-05-14"))
                // linguagate.upstream.headers.* belong to the OpenAI upstream.
                .withHeader("OpenAI-Project", absent()));
    }

    @Test
    void aMissingOrWrongKeyIsAnAnthropicAuthenticationErrorAndNothingIsForwarded() throws Exception {
        AnthropicClient wrong = sdk(b -> b.apiKey(WRONG_KEY).putHeader("X-Api-Key", WRONG_KEY));
        try {
            UnauthorizedException error = assertThrows(UnauthorizedException.class,
                    () -> wrong.messages().create(params()));
            assertEquals("authentication_error", error.type().orElseThrow().asString());
            assertEquals("Incorrect API key provided.", error.apiMessage().orElseThrow());
        } finally {
            wrong.close();
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(gateway.resolve("v1/messages"))
                .header("content-type", "application/json").header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, missing.statusCode());
        AnthropicSdkTest.assertAnthropicShape(new JsonObject(missing.body()), "authentication_error");
        assertTrue(missing.body().contains("x-api-key"), missing.body());
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anthropicModelsAndOpenAiRoutesTakeTheGatewayKeyInXApiKeyToo() throws Exception {
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(gateway.resolve("v1/models"))
                .header("x-api-key", GATEWAY_KEY).header("anthropic-version", "2023-06-01").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode(), models.body());
        upstream.verify(getRequestedFor(urlEqualTo("/anthropic/v1/models"))
                .withHeader("x-api-key", WireMock.equalTo(ANTHROPIC_KEY)));

        // On an OpenAI route the gateway key in x-api-key is checked, stripped, and the OpenAI key goes instead.
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(gateway.resolve("v1/chat/completions"))
                .header("x-api-key", GATEWAY_KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chat.statusCode(), chat.body());
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UPSTREAM_KEY))
                .withHeader("x-api-key", absent()));
    }

    @Test
    void anUpstreamErrorEchoingTheAnthropicKeyReachesTheClientMasked() {
        String echo = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad header "
                + "x-api-key: " + ANTHROPIC_KEY + "\"}}";
        upstream.stubFor(post("/anthropic/v1/messages").willReturn(aResponse().withStatus(400)
                .withHeader("content-type", "application/json").withHeader("x-echo", ANTHROPIC_KEY).withBody(echo)));
        AnthropicClient client = sdk(b -> b.authToken(GATEWAY_KEY));
        try {
            BadRequestException error = assertThrows(BadRequestException.class,
                    () -> client.messages().create(params()));
            String message = error.apiMessage().orElseThrow();
            assertFalse(message.contains(ANTHROPIC_KEY), message);
            assertEquals("bad header x-api-key: " + "*".repeat(ANTHROPIC_KEY.length()), message);
            assertEquals("*".repeat(ANTHROPIC_KEY.length()), error.headers().values("x-echo").get(0));
        } finally {
            client.close();
        }
    }
}
