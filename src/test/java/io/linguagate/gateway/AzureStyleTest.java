package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Azure OpenAI: a deployment base path, an {@code api-key} header and an {@code api-version} query parameter. */
@QuarkusTest
@TestProfile(AzureStyleTest.Azure.class)
@WithTestResource(WireMockUpstream.class)
class AzureStyleTest {

    public static class Azure implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.auth-style", "api-key",
                    "linguagate.upstream.api-key", "azure-key-1",
                    "linguagate.auth.keys", "gw-key",
                    "linguagate.upstream.query-params.api-version", "2024-10-21");
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Test
    void sendsApiKeyHeaderAndApiVersion() {
        upstream.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withBody("{}")));

        given().header("Authorization", "Bearer gw-key").contentType("application/json")
                .body("{\"messages\":[]}").when().post("/v1/chat/completions?foo=bar").then().statusCode(200);

        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions?foo=bar&api-version=2024-10-21"))
                .withHeader("api-key", WireMock.equalTo("azure-key-1"))
                .withHeader("Authorization", absent()));
    }
}
