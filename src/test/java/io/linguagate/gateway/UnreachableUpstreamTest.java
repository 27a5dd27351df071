package io.linguagate.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.linguagate.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An upstream nobody listens on: 502 in OpenAI's shape, retried first, and a log line naming what to fix. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.NothingListening.class)
class UnreachableUpstreamTest {

    public static class NothingListening implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.upstream.base-url", "http://127.0.0.1:" + freePort() + "/v1",
                    // AnthropicUnreachableTest shares this gateway.
                    "linguagate.anthropic.base-url", "http://127.0.0.1:" + freePort(),
                    "linguagate.upstream.retry.initial-delay", "10ms");
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void connectionRefusedIs502AndLogged() {
        try (LogCapture logs = LogCapture.install()) {
            given().contentType("application/json").body("{\"messages\":[]}")
                    .when().post("/v1/chat/completions")
                    .then().statusCode(502)
                    .body("error.code", equalTo("upstream_unreachable"))
                    .body(not(containsString("Exception")))
                    .body(not(containsString("\tat ")));
            assertTrue(logs.all().contains("linguagate.upstream.base-url"), logs.all());
        }
        given().when().get("/q/metrics").then()
                .body(containsString("linguagate_upstream_retries_total{reason=\"unreachable\"} 2.0"));
    }
}
