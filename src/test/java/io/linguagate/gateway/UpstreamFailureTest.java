package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A slow upstream gets 504 after linguagate.upstream.timeout, never a hang. */
@QuarkusTest
@TestProfile(UpstreamFailureTest.ShortTimeout.class)
@WithTestResource(WireMockUpstream.class)
class UpstreamFailureTest {

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.timeout", "1s");
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Test
    void aSlowUpstreamGets504() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withFixedDelay(4000)));

        given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(504).time(lessThan(3500L))
                .body("error.code", equalTo("upstream_timeout"))
                .body("error.type", equalTo("api_error"));
    }
}
