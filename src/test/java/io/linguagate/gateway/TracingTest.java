package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.linguagate.support.WireMockUpstream;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's W3C trace continues through the gateway to the upstream, with a server and a client span. */
@QuarkusTest
@TestProfile(TracingTest.Exporting.class)
@WithTestResource(WireMockUpstream.class)
class TracingTest {

    public static class Exporting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "10ms");
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT = "00f067aa0ba902b7";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void traceparentIsPropagatedUpstream() throws Exception {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200).withBody("{}")));

        given().header("traceparent", "00-" + TRACE_ID + "-" + PARENT + "-01").contentType("application/json")
                .body("{\"messages\":[]}").when().post("/v1/chat/completions").then().statusCode(200);

        var received = upstream.getAllServeEvents().get(0).getRequest().getHeaders().getHeader("traceparent");
        assertEquals(1, received.values().size(), received.toString());
        String forwarded = received.firstValue();
        String[] parts = forwarded.split("-");
        assertEquals(TRACE_ID, parts[1], forwarded);
        assertNotEquals(PARENT, parts[2], "the upstream call must be a child span, not the client's span");

        List<SpanData> finished = awaitSpans(2);
        assertTrue(finished.stream().allMatch(s -> s.getTraceId().equals(TRACE_ID)), finished.toString());
        assertTrue(finished.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER), finished.toString());
        assertTrue(finished.stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT
                && s.getSpanId().equals(parts[2])), finished.toString());
    }

    private List<SpanData> awaitSpans(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return spans.getFinishedSpanItems();
    }
}
