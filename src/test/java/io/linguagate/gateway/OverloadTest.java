package io.linguagate.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.linguagate.support.ScriptedUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpServerResponse;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The bulkhead covers whole exchanges, streams included; past it clients get 503 at once, then it frees up. */
@QuarkusTest
@TestProfile(OverloadTest.OneAtATime.class)
@WithTestResource(ScriptedUpstream.class)
class OverloadTest {

    public static class OneAtATime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.max-concurrent-requests", "1", "linguagate.capacity-stuck-after", "1s");
        }
    }

    @ScriptedUpstream.Inject
    ScriptedUpstream upstream;

    @TestHTTPResource("/")
    URI gateway;

    /** A stream through the gateway that the upstream keeps open (holding the one permit) until {@code finish}. */
    private HttpResponse<InputStream> openStream(CompletableFuture<Void> finish) throws Exception {
        upstream.script(req -> {
            HttpServerResponse response = req.response().setChunked(true).putHeader("content-type",
                    "text/event-stream");
            response.write("data: {}\n\n");
            finish.thenRun(() -> upstream.vertx().runOnContext(v -> response.end("data: [DONE]\n\n")));
        });
        HttpResponse<InputStream> open = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(gateway.resolve("v1/chat/completions")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, open.statusCode());
        return open;
    }

    @Test
    void aSecondRequestWhileAStreamIsOpenIsRefusedThenAcceptedAfterIt() throws Exception {
        CompletableFuture<Void> finish = new CompletableFuture<>();
        HttpResponse<InputStream> open = openStream(finish);

        given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(503).body("error.code", equalTo("gateway_overloaded"));

        finish.complete(null);
        try (InputStream body = open.body()) {
            body.readAllBytes();
        }
        upstream.script(req -> req.response().putHeader("content-type", "application/json").end("{}"));
        given().contentType("application/json").body("{\"messages\":[]}").when().post("/v1/chat/completions")
                .then().statusCode(200);
    }

    @Test
    void readinessGoesDownWhileEveryPermitIsHeldWithoutProgressAndComesBack() throws Exception {
        CompletableFuture<Void> finish = new CompletableFuture<>();
        HttpResponse<InputStream> open = openStream(finish);
        given().when().get("/q/health/ready").then().statusCode(200);

        Thread.sleep(1500);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'request-capacity' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'request-capacity' }.data.in-flight", equalTo(1));

        finish.complete(null);
        try (InputStream body = open.body()) {
            body.readAllBytes();
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
