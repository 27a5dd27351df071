package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the upstream receives for a chat completion, and what the client gets back. */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
class ChatCompletionsProxyTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    @Test
    void forwardsTheClientsBytesUnchangedIncludingFieldsTheGatewayDoesNotKnow() {
        // Odd number spellings, unicode escapes, key order and unknown fields must all survive byte for byte.
        String body = """
                {"model":"gpt-4o","messages":[{"role":"user","content":"Caf\\u00e9 \u00fcber \uD83D\uDE00"}],\
                "temperature":1.0,"top_p":1e0,"logit_bias":{"50256":-100},\
                "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],\
                "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{}}},\
                "metadata":{"k":"v"},"a_field_from_the_future":{"nested":[1,2,3]}}""";
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withHeader("x-request-id", "req_123")
                .withHeader("openai-processing-ms", "42")
                .withBody("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}")));

        Response response = given().contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .header("Authorization", "Bearer sk-client-key")
                .header("OpenAI-Organization", "org-1")
                .header("X-Custom", "kept")
                .when().post("/v1/chat/completions");

        response.then().statusCode(200)
                .header("x-request-id", "req_123")
                .header("openai-processing-ms", "42")
                .body("id", equalTo("chatcmpl-1"));
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(binaryEqualTo(body.getBytes(StandardCharsets.UTF_8)))
                .withHeader("Authorization", WireMock.equalTo("Bearer sk-client-key"))
                .withHeader("OpenAI-Organization", WireMock.equalTo("org-1"))
                .withHeader("X-Custom", WireMock.equalTo("kept"))
                .withHeader("Keep-Alive", absent()));
    }

    @Test
    void withoutAModelTheGatewaySaysSoAndStillDropsItsOwnField() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withBody("{}")));
        given().contentType("application/json")
                .body("{\"model\":\"gpt-4o\",\"messages\":[],\"compression\":{\"rate\":0.3}}")
                .when().post("/v1/chat/completions").then().statusCode(200)
                .header("x-compression-status", "skipped:no-model")
                .header("x-compression-saved-tokens", "0");
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(WireMock.equalTo("{\"model\":\"gpt-4o\",\"messages\":[]}")));
    }

    @Test
    void queryStringReachesTheUpstream() {
        upstream.stubFor(post(urlEqualTo("/v1/chat/completions?api-version=2024-10-21&x=a%20b"))
                .willReturn(aResponse().withStatus(200).withBody("{}")));

        given().urlEncodingEnabled(false).contentType("application/json").body("{\"messages\":[]}")
                .when().post("/v1/chat/completions?api-version=2024-10-21&x=a%20b")
                .then().statusCode(200);
    }

    @Test
    void upstreamErrorsComeBackUnchanged() {
        String error = "{\"error\":{\"message\":\"model not found\",\"type\":\"invalid_request_error\","
                + "\"param\":\"model\",\"code\":\"model_not_found\"}}";
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(404)
                .withHeader("content-type", "application/json").withHeader("x-request-id", "req_404")
                .withBody(error)));

        String received = given().contentType("application/json").body("{\"model\":\"nope\",\"messages\":[]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(404).header("x-request-id", "req_404")
                .extract().asString();
        assertEquals(error, received);
    }

    @Test
    void aServerErrorThatIsNotRetryableIsRelayedAfterOneAttempt() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(500)
                .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"boom\"}}")));

        given().contentType("application/json").body("{\"messages\":[]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(500).body("error.message", equalTo("boom"));
        // 500 may have been processed upstream: repeating it could bill the user twice.
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void gatewayErrorsHaveTheOpenAiShape() {
        given().contentType("application/json").body("{\"model\":\"gpt-4o\"}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("messages"))
                .body("error.code", equalTo("missing_required_parameter"))
                .body("error.message", equalTo("Missing required parameter: 'messages'."));
        given().contentType("application/json").body("{\"messages\":[]")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("invalid_json"))
                .body("error.param", nullValue());
        upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }
}
