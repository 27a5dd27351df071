package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.LogCapture;
import io.linguagate.support.WireMockUpstream;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shared gateway holding the upstream key: clients must present a gateway key, the upstream only ever sees the
 * gateway's own key, and no key shows up in logs, metrics, traces or error bodies.
 */
@QuarkusTest
@TestProfile(GatewayKeyTest.SharedGateway.class)
@WithTestResource(WireMockUpstream.class)
class GatewayKeyTest {

    static final String UPSTREAM_KEY = "sk-upstream-SECRET-5f2a9c";
    static final String GATEWAY_KEY = "lg-gateway-SECRET-77b1";
    static final String WRONG_KEY = "sk-wrong-SECRET-0d3e";
    /** The gateway's key for the Anthropic upstream (AnthropicGatewayKeyTest shares this gateway). */
    static final String ANTHROPIC_KEY = "sk-ant-upstream-SECRET-91c4e0";

    public static class SharedGateway implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new java.util.HashMap<>();
            config.put("linguagate.upstream.api-key", UPSTREAM_KEY);
            config.put("linguagate.anthropic.api-key", ANTHROPIC_KEY);
            config.put("linguagate.auth.keys", "lg-other-key," + GATEWAY_KEY);
            config.put("linguagate.upstream.headers.OpenAI-Project", "proj_42");
            config.put("quarkus.otel.sdk.disabled", "false");
            config.put("quarkus.otel.exporter.otlp.enabled", "false");
            config.put("quarkus.otel.bsp.schedule.delay", "10ms");
            // Everything the application logs, at DEBUG, is searched for keys.
            config.put("quarkus.log.category.\"io.linguagate\".level", "DEBUG");
            config.put("quarkus.log.category.\"io.vertx\".level", "DEBUG");
            config.put("quarkus.log.category.\"io.smallrye\".level", "DEBUG");
            return config;
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\":\"x\"}")));
        spans.reset();
    }

    @Test
    void noKeyOrAWrongKeyIs401AndNothingIsForwarded() {
        given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        given().header("Authorization", "Bearer " + WRONG_KEY).when().get("/v1/models")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"))
                .body("error.message", equalTo("Incorrect API key provided."));
        given().header("api-key", WRONG_KEY).when().get("/v1/models").then().statusCode(401);
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theUpstreamSeesOnlyTheGatewaysOwnKeyAndConfiguredHeaders() {
        given().header("Authorization", "Bearer " + GATEWAY_KEY).contentType("application/json")
                .body("{\"messages\":[]}").when().post("/v1/chat/completions").then().statusCode(200);
        given().header("api-key", GATEWAY_KEY).when().get("/v1/models").then().statusCode(200);

        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UPSTREAM_KEY))
                .withHeader("OpenAI-Project", WireMock.equalTo("proj_42")));
        upstream.verify(WireMock.getRequestedFor(urlEqualTo("/v1/models"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + UPSTREAM_KEY))
                .withHeader("api-key", absent()));
    }

    @Test
    void keysNeverAppearInLogsMetricsTracesOrErrors() {
        String observed;
        try (LogCapture logs = LogCapture.install()) {
            String unauthorized = given().header("Authorization", "Bearer " + WRONG_KEY)
                    .contentType("application/json").body("{\"messages\":[]}")
                    .when().post("/v1/chat/completions").then().statusCode(401).extract().asString();
            given().header("Authorization", "Bearer " + GATEWAY_KEY).contentType("application/json")
                    .body("{\"messages\":[]}").when().post("/v1/chat/completions?key=" + "not-a-secret")
                    .then().statusCode(200);
            upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withBody("{}")));
            String upstreamDown = given().header("Authorization", "Bearer " + GATEWAY_KEY)
                    .contentType("application/json").body("{\"messages\":[]}")
                    .when().post("/v1/chat/completions").then().extract().asString();
            awaitSpans();
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            observed = String.join("\n", logs.all(), unauthorized, upstreamDown, metrics, describe(spans.getFinishedSpanItems()));
            assertFalse(logs.lines().isEmpty(), "the log capture saw nothing: the check would be vacuous");
            assertFalse(spans.getFinishedSpanItems().isEmpty(), "no spans recorded: the check would be vacuous");
        }
        for (String secret : List.of(UPSTREAM_KEY, ANTHROPIC_KEY, GATEWAY_KEY, WRONG_KEY, "SECRET")) {
            assertFalse(observed.contains(secret), "leaked " + secret + " in:\n" + observed);
        }
    }

    @Test
    void errorAnswersThatEchoTheRequestNeverHandTheGatewaysKeyToTheClient() {
        String echo = "{\"error\":{\"message\":\"bad request\",\"received_headers\":{\"authorization\":\"Bearer "
                + UPSTREAM_KEY + "\"}},\"again\":\"" + UPSTREAM_KEY + "\"}";
        // A held 503 (retried, then relayed), a streamed 400, and one bigger than the replay buffer (1 MB).
        String big = "x".repeat(1_100_000) + UPSTREAM_KEY + "y".repeat(70_000);
        upstream.stubFor(any(urlEqualTo("/v1/held")).willReturn(aResponse().withStatus(503)
                .withHeader("x-echo", "Bearer " + UPSTREAM_KEY).withBody(echo)));
        upstream.stubFor(any(urlEqualTo("/v1/streamed")).willReturn(aResponse().withStatus(400)
                .withHeader("x-echo", "Bearer " + UPSTREAM_KEY).withBody(echo)));
        upstream.stubFor(any(urlEqualTo("/v1/big")).willReturn(aResponse().withStatus(500).withBody(big)));

        for (String path : List.of("/v1/held", "/v1/streamed", "/v1/big")) {
            var response = given().header("Authorization", "Bearer " + GATEWAY_KEY).when().get(path)
                    .then().extract();
            String body = response.asString();
            assertFalse(body.contains(UPSTREAM_KEY), path + ": " + body.substring(0, Math.min(300, body.length())));
            assertFalse(String.valueOf(response.header("x-echo")).contains(UPSTREAM_KEY), path);
            String masked = "*".repeat(UPSTREAM_KEY.length());
            assertTrue(body.contains(masked), path + ": the key is masked in place");
            assertEquals((path.equals("/v1/big") ? big : echo).length(),
                    body.length(), path + ": masking keeps the length");
        }
    }

    private void awaitSpans() {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (spans.getFinishedSpanItems().size() < 6 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static String describe(List<SpanData> finished) {
        StringBuilder sb = new StringBuilder();
        for (SpanData span : finished) {
            sb.append(span.getName()).append(' ').append(span.getAttributes()).append(' ')
                    .append(span.getEvents()).append('\n');
        }
        return sb.toString();
    }
}
