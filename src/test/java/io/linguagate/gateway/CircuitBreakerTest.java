package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Repeated upstream failures open the breaker: then 503 at once, without calling the upstream. */
@QuarkusTest
@TestProfile(CircuitBreakerTest.SmallWindow.class)
@WithTestResource(WireMockUpstream.class)
class CircuitBreakerTest {

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.retry.max-retries", "0",
                    "linguagate.upstream.circuit-breaker.request-volume-threshold", "4",
                    "linguagate.upstream.circuit-breaker.failure-ratio", "0.5",
                    "linguagate.upstream.circuit-breaker.delay", "60s");
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Test
    void opensAfterRepeatedServerErrorsAndAnswers503Fast() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(500).withBody("{}")));
        given().when().get("/q/metrics").then().body(containsString("linguagate_upstream_circuit_state 0.0"));

        for (int i = 0; i < 4; i++) {
            given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                    .then().statusCode(500);
        }
        given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(503)
                .header("retry-after", "1")
                .body("error.code", equalTo("upstream_unavailable"));

        upstream.verify(4, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        given().when().get("/q/metrics").then().body(containsString("linguagate_upstream_circuit_state 1.0"));
    }
}
