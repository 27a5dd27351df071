package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
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

/** {@code linguagate.model.required=false} with a broken model: a plain proxy that says why on readiness. */
@QuarkusTest
@TestProfile(ModelNotRequiredTest.BrokenOptionalModel.class)
@WithTestResource(WireMockUpstream.class)
class ModelNotRequiredTest {

    public static class BrokenOptionalModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.model.path", "/nonexistent/linguagate-model",
                    "linguagate.model.required", "false");
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Test
    void readinessIsUpAndNamesTheProblem() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'compression-model' }.data.problem",
                        containsString("/nonexistent/linguagate-model does not exist"));
    }

    @Test
    void chatCompletionsPassThroughWithCompressionDisabled() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withBody("{}")));
        given().contentType("application/json").body("{\"model\":\"gpt-4o\",\"messages\":[]}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .header("x-compression-status", "disabled");
        given().contentType("application/json").body("{\"prompt\":\"x\"}").when().post("/v1/compress").then()
                .statusCode(503).body("error.code", equalTo("model_unavailable"));
    }
}
