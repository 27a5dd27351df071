package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries happen only where safe, honour Retry-After, and stop at the configured bounds. */
@QuarkusTest
@TestProfile(RetryTest.FastRetries.class)
@WithTestResource(WireMockUpstream.class)
class RetryTest {

    public static class FastRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.retry.on-429", "true",
                    "linguagate.upstream.retry.initial-delay", "10ms",
                    "linguagate.upstream.retry.max-retry-after", "2s",
                    "linguagate.upstream.circuit-breaker.enabled", "false",
                    "linguagate.replay-buffer-size", "1K");
        }
    }

    private static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[]}";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    private void failFirstWith(int status, String retryHeader, String retryValue) {
        upstream.stubFor(post("/v1/chat/completions").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(status).withHeader(retryHeader, retryValue)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"busy\"}}"))
                .willSetStateTo("recovered"));
        upstream.stubFor(post("/v1/chat/completions").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"id\":\"ok\"}")));
    }

    @Test
    void a503IsRetriedAndTheClientSeesOnlyTheSuccess() {
        failFirstWith(503, "x-none", "0");

        given().contentType("application/json").body(CHAT).when().post("/v1/chat/completions")
                .then().statusCode(200).body("id", equalTo("ok"));
        upstream.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(CHAT)));
        given().when().get("/q/metrics").then()
                .body(containsString("linguagate_upstream_retries_total{reason=\"503\"}"));
    }

    @Test
    void a429WaitsWhatRetryAfterMsAsks() {
        failFirstWith(429, "retry-after-ms", "300");

        given().contentType("application/json").body(CHAT).when().post("/v1/chat/completions")
                .then().statusCode(200);
        List<ServeEvent> events = upstream.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        assertEquals(2, events.size());
        long waited = events.get(1).getRequest().getLoggedDate().getTime()
                - events.get(0).getRequest().getLoggedDate().getTime();
        assertTrue(waited >= 300, "waited only " + waited + " ms");
    }

    @Test
    void aRetryAfterBeyondTheBoundIsNotWaitedForTheClientGetsThe429() {
        failFirstWith(429, "retry-after", "120");

        given().contentType("application/json").body(CHAT).when().post("/v1/chat/completions")
                .then().statusCode(429).header("retry-after", "120").body("error.message", equalTo("busy"));
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void retriesStopAtMaxRetriesAndTheLastAnswerIsRelayed() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(502)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"bad gw\"}}")));

        given().contentType("application/json").body(CHAT).when().post("/v1/chat/completions")
                .then().statusCode(502).body("error.message", equalTo("bad gw"));
        upstream.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void aStreamedBodyIsNotRepeatedAfterTheUpstreamAnswered() {
        upstream.stubFor(post("/v1/files").willReturn(aResponse().withStatus(503).withBody("{}")));
        byte[] upload = new byte[64 * 1024]; // beyond the 1K replay buffer: streamed, cannot be replayed
        new Random(1).nextBytes(upload);

        given().contentType("application/octet-stream").body(upload).when().post("/v1/files")
                .then().statusCode(503);
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/files")));
    }

    @Test
    void aSmallPassthroughBodyIsHeldAndRetried() {
        upstream.stubFor(post("/v1/embeddings").inScenario("e").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        upstream.stubFor(post("/v1/embeddings").inScenario("e").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("{}")));

        given().contentType("application/json").body("{\"input\":\"x\"}").when().post("/v1/embeddings")
                .then().statusCode(200);
        upstream.verify(2, postRequestedFor(urlEqualTo("/v1/embeddings")));
    }
}
