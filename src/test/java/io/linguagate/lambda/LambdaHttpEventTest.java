package io.linguagate.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The Lambda build as API Gateway drives it: each request is an HTTP API (payload format 2.0) event handed to
 * Quarkus's Lambda poll loop, and the answer is the {@code APIGatewayV2HTTPResponse} JSON that API Gateway turns back
 * into HTTP. The events go to the mock Lambda runtime API that {@code quarkus-amazon-lambda-http} starts in test mode
 * (raw events posted to {@code /_lambda_} come back as the function's raw response), so this exercises the same
 * handler ({@code LambdaHttpHandler}) and the same virtual HTTP path as a deployed function.
 *
 * <p>Runs only in a Lambda build ({@code -Plambda}); elsewhere the extension, and so the event server, is absent.
 */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
@EnabledIf("lambdaBuild")
class LambdaHttpEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @WireMockUpstream.Inject
    WireMockServer upstream;

    static boolean lambdaBuild() {
        try {
            Class.forName("io.quarkus.amazon.lambda.http.LambdaHttpHandler", false,
                    LambdaHttpEventTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException notALambdaBuild) {
            return false;
        }
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    @Test
    void livenessAnswersThroughTheLambdaHandler() throws Exception {
        JsonNode response = invoke(event("GET", "/q/health/live", "", Map.of("accept", "application/json"), null));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertEquals("UP", JSON.readTree(body(response)).path("status").asText(), response.toString());
    }

    @Test
    void compressWithoutAModelIs503ModelUnavailable() throws Exception {
        JsonNode response = invoke(event("POST", "/v1/compress", "",
                Map.of("content-type", "application/json"), "{\"prompt\":\"a long document\",\"rate\":0.5}"));

        assertEquals(503, response.path("statusCode").asInt(), response.toString());
        JsonNode error = JSON.readTree(body(response)).path("error");
        assertEquals("model_unavailable", error.path("code").asText(), response.toString());
    }

    @Test
    void chatCompletionIsForwardedToTheUpstreamAndRelayedBack() throws Exception {
        String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Caf\u00e9, 1e0\"}],"
                + "\"a_field_from_the_future\":[1,2]}";
        upstream.stubFor(post(urlEqualTo("/v1/chat/completions?api-version=2024-10-21"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withHeader("x-request-id", "req_lambda")
                        .withBody("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}")));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", "api-version=2024-10-21",
                Map.of("content-type", "application/json", "authorization", "Bearer sk-client-key",
                        "x-custom", "kept"),
                request));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertEquals("req_lambda", header(response, "x-request-id"), response.toString());
        assertEquals("skipped:no-model", header(response, "x-compression-status"), response.toString());
        assertEquals("chatcmpl-1", JSON.readTree(body(response)).path("id").asText(), response.toString());
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions?api-version=2024-10-21"))
                .withRequestBody(binaryEqualTo(request.getBytes(StandardCharsets.UTF_8)))
                .withHeader("authorization", WireMock.equalTo("Bearer sk-client-key"))
                .withHeader("x-custom", WireMock.equalTo("kept"))
                .withHeader("transfer-encoding", absent()));
    }

    @Test
    void upstreamErrorsComeBackUnchanged() throws Exception {
        String error = "{\"error\":{\"message\":\"model not found\",\"type\":\"invalid_request_error\","
                + "\"param\":\"model\",\"code\":\"model_not_found\"}}";
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(404)
                .withHeader("content-type", "application/json").withBody(error)));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", "",
                Map.of("content-type", "application/json"), "{\"model\":\"nope\",\"messages\":[]}"));

        assertEquals(404, response.path("statusCode").asInt(), response.toString());
        assertEquals(error, body(response));
    }

    @Test
    void aClientThatAcceptsGzipStillGetsAnIntactBody() throws Exception {
        // SDKs send Accept-Encoding: gzip. Quarkus's Lambda handler treats a JSON body as text whatever its
        // Content-Encoding, so a gzip body relayed from the upstream would reach the client mangled.
        String answer = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"choices\":[],\"pad\":\""
                + "x".repeat(2048) + "\"}";
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(answer)));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", "",
                Map.of("content-type", "application/json", "accept-encoding", "gzip, deflate, br"),
                "{\"model\":\"gpt-4o\",\"messages\":[]}"));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertFalse(header(response, "content-encoding") != null
                && !"identity".equalsIgnoreCase(header(response, "content-encoding")), response.toString());
        assertEquals(answer, body(response));
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("accept-encoding", WireMock.equalTo("identity")));
    }

    @Test
    void aStreamedAnswerArrivesWholeWithItsLength() throws Exception {
        // API Gateway cannot stream a Lambda answer: the events come back together, sized, never chunked.
        String events = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                + "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\ndata: [DONE]\n\n";
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(events)
                .withChunkedDribbleDelay(3, 60)));

        JsonNode response = invoke(event("POST", "/v1/chat/completions", "",
                Map.of("content-type", "application/json"), "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[]}"));

        assertEquals(200, response.path("statusCode").asInt(), response.toString());
        assertEquals(events, body(response));
        assertEquals(Integer.toString(events.getBytes(StandardCharsets.UTF_8).length),
                header(response, "content-length"), response.toString());
        assertEquals(null, header(response, "transfer-encoding"), response.toString());
        assertEquals("skipped:no-model", header(response, "x-compression-status"), response.toString());
    }

    /** An API Gateway HTTP API event, payload format 2.0, as the service sends it to the function. */
    private static ObjectNode event(String method, String path, String query, Map<String, String> headers,
            String body) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", path);
        event.put("rawQueryString", query);
        ObjectNode eventHeaders = event.putObject("headers");
        eventHeaders.put("host", "abc123.execute-api.eu-west-1.amazonaws.com");
        eventHeaders.put("x-forwarded-proto", "https");
        eventHeaders.put("x-forwarded-port", "443");
        headers.forEach(eventHeaders::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "abc123");
        context.put("domainName", "abc123.execute-api.eu-west-1.amazonaws.com");
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.7");
        http.put("userAgent", "lambda-test");
        event.put("isBase64Encoded", false);
        if (body != null) {
            event.put("body", body);
        }
        return event;
    }

    /** Hands the event to the function through the mock Lambda runtime API and returns its raw response. */
    private static JsonNode invoke(ObjectNode event) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/_lambda_"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(event)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, raw.statusCode(), "the function failed: " + raw.body());
        return JSON.readTree(raw.body());
    }

    private static String body(JsonNode response) {
        String body = response.path("body").asText("");
        return response.path("isBase64Encoded").asBoolean()
                ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8)
                : body;
    }

    private static String header(JsonNode response, String name) {
        var fields = response.path("headers").fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().asText();
            }
        }
        return null;
    }
}
