package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.LogCapture;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every /v1 route other than chat completions reaches the upstream untouched, any method, any body. */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
class PassthroughTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    @Test
    void getModels() {
        upstream.stubFor(get("/v1/models").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"object\":\"list\",\"data\":[]}")));

        given().header("Authorization", "Bearer sk-client").when().get("/v1/models")
                .then().statusCode(200).body("object", equalTo("list"));
        upstream.verify(WireMock.getRequestedFor(urlEqualTo("/v1/models"))
                .withHeader("Authorization", WireMock.equalTo("Bearer sk-client")));
    }

    @Test
    void theAccessLogShowsThePathButNeverTheQueryString() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/v1/models")).willReturn(aResponse().withStatus(200).withBody("{}")));
        try (LogCapture logs = LogCapture.install()) {
            given().when().get("/v1/models?api_key=sk-query-SECRET-91").then().statusCode(200);
            for (int i = 0; i < 100 && logs.lines().stream().noneMatch(l -> l.contains("GET /v1/models 200")); i++) {
                Thread.sleep(20);
            }
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("GET /v1/models 200")), logs.all());
            assertFalse(logs.all().contains("SECRET"), logs.all());
        }
        upstream.verify(WireMock.getRequestedFor(urlEqualTo("/v1/models?api_key=sk-query-SECRET-91")));
    }

    @Test
    void repeatedConnectionTokensAreAcceptedAndNotForwarded() {
        upstream.stubFor(get("/v1/models").willReturn(aResponse().withStatus(200).withBody("{}")));

        given().header("Connection", "keep-alive, X-Hop, keep-alive").header("X-Hop", "only-to-the-gateway")
                .when().get("/v1/models").then().statusCode(200);
        upstream.verify(WireMock.getRequestedFor(urlEqualTo("/v1/models")).withHeader("X-Hop", WireMock.absent()));
    }

    @Test
    void postEmbeddingsAndDeleteFile() {
        String body = "{\"model\":\"text-embedding-3-small\",\"input\":\"hello\",\"dimensions\":8}";
        upstream.stubFor(post("/v1/embeddings").willReturn(aResponse().withStatus(200).withBody("{\"data\":[]}")));
        upstream.stubFor(delete("/v1/files/file-abc").willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody("{\"deleted\":true}")));

        given().contentType("application/json").body(body).when().post("/v1/embeddings").then().statusCode(200);
        given().when().delete("/v1/files/file-abc").then().statusCode(200).body("deleted", equalTo(true));

        upstream.verify(postRequestedFor(urlEqualTo("/v1/embeddings")).withRequestBody(WireMock.equalTo(body)));
        upstream.verify(deleteRequestedFor(urlEqualTo("/v1/files/file-abc")));
    }

    @Test
    void largeUploadStreamsThroughByteForByte() throws Exception {
        byte[] file = new byte[3 * 1024 * 1024]; // larger than the replay buffer: streamed, not held
        new Random(7).nextBytes(file);
        upstream.stubFor(post("/v1/files").willReturn(aResponse().withStatus(200).withBody("{\"id\":\"file-1\"}")));

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(gateway.resolve("v1/files"))
                        .header("content-type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(file)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        upstream.verify(postRequestedFor(urlEqualTo("/v1/files")).withRequestBody(binaryEqualTo(file)));
    }

    @Test
    void binaryResponsesComeBackUnchanged() {
        byte[] audio = new byte[200_000];
        new Random(3).nextBytes(audio);
        upstream.stubFor(post("/v1/audio/speech").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "audio/mpeg").withBody(audio)));

        byte[] received = given().contentType("application/json").body("{\"input\":\"hi\"}")
                .when().post("/v1/audio/speech").then().statusCode(200)
                .header("content-type", "audio/mpeg").extract().asByteArray();
        assertArrayEquals(audio, received);
    }
}
