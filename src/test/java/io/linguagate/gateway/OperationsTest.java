package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health probes and the Prometheus metrics operators scrape. */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
class OperationsTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Test
    void healthProbesAreUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void withoutAModelCompressionIsUnavailableButTheGatewayIsReady() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'compression-model' }.data.model", equalTo("none (compression off)"));
        given().contentType("application/json").body("{\"prompt\": \"hello\"}").when().post("/v1/compress")
                .then().statusCode(503)
                .body("error.code", equalTo("model_unavailable"))
                .body("error.message", containsString("not configured"));
    }

    @Test
    void requestAndUpstreamMetricsAreExported() {
        upstream.stubFor(get("/v1/models").willReturn(aResponse().withStatus(200).withBody("{}")));
        given().when().get("/v1/models").then().statusCode(200);
        given().contentType("application/json").body("[]").when().post("/v1/chat/completions")
                .then().statusCode(400);

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("linguagate_requests_seconds_count{route=\"passthrough\",status=\"200\"}"))
                .body(containsString("linguagate_requests_seconds_count{route=\"chat_completions\",status=\"400\"}"))
                .body(containsString("linguagate_requests_seconds_bucket{route=\"passthrough\",status=\"200\""))
                .body(containsString("linguagate_upstream_latency_seconds_count{outcome=\"200\"}"))
                .body(containsString("linguagate_upstream_circuit_state"))
                .body(containsString("linguagate_requests_in_flight"));
    }
}
