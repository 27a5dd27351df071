package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies over linguagate.max-body-size get 413 and never reach the upstream, declared length or chunked. */
@QuarkusTest
@TestProfile(BodyLimitTest.SmallLimit.class)
@WithTestResource(WireMockUpstream.class)
class BodyLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.max-body-size", "4K", "linguagate.replay-buffer-size", "1K");
        }
    }

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    @ParameterizedTest
    @CsvSource({"v1/chat/completions, true", "v1/chat/completions, false", "v1/files, true", "v1/files, false",
            "v1/embeddings, true"})
    void oversizedBodyIsRefusedWith413(String path, boolean declareLength) throws Exception {
        byte[] body = ("{\"messages\":[],\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes();
        HttpRequest.BodyPublisher publisher = declareLength ? HttpRequest.BodyPublishers.ofByteArray(body)
                : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)); // chunked

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path))
                .header("content-type", "application/json").POST(publisher).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"code\":\"request_too_large\""), response.body());
        assertTrue(response.body().contains("linguagate.max-body-size"), response.body());
        if (declareLength) {
            upstream.verify(0, anyRequestedFor(anyUrl()));
        }
    }

    @ParameterizedTest
    @CsvSource({"v1/chat/completions", "v1/files"})
    void bodyJustUnderTheLimitIsForwarded(String path) throws Exception {
        byte[] body = ("{\"messages\":[],\"pad\":\"" + "x".repeat(3000) + "\"}").getBytes();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(gateway.resolve(path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(body.length, upstream.getAllServeEvents().get(0).getRequest().getBody().length);
    }
}
