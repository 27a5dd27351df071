package io.linguagate.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.linguagate.chat.ChatCompressionTest.compressed;
import static io.linguagate.chat.ChatCompressionTest.doc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI's deployment paths with the OpenAI Java SDK configured for Azure (base URL = the gateway): compressed
 * like their {@code /v1} twins, forwarded to the resource with the client's path, {@code api-version} and
 * {@code api-key}; the price from {@code linguagate.azure.deployments}.
 */
@QuarkusTest
@TestProfile(ChatCompressionProfile.class)
class AzureDeploymentsTest {

    static final String COMPLETION = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Monday."}}]}""";

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/")
    URI gateway;

    private OpenAIClient client;

    @BeforeEach
    void setUp() {
        upstream.resetAll();
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.toString().replaceAll("/$", ""))
                .credential(AzureApiKeyCredential.create("azure-key-123"))
                .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
                .azureUrlPathMode(AzureUrlPathMode.LEGACY).maxRetries(0).build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void azureClientChatIsCompressedAndForwardedToItsDeployment() throws Exception {
        upstream.stubFor(WireMock.post(urlPathEqualTo("/openai/deployments/prod-chat/chat/completions"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(COMPLETION)));
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(
                ChatCompletionCreateParams.builder().model("prod-chat").addSystemMessage(doc(16))
                        .addUserMessage("Which one ships first?").build());
        assertEquals("Monday.", raw.parse().choices().get(0).message().content().orElseThrow());
        assertEquals(List.of("applied"), raw.headers().values("x-compression-status"));
        var requests = upstream.findAll(postRequestedFor(urlPathEqualTo(
                "/openai/deployments/prod-chat/chat/completions")));
        assertEquals(1, requests.size());
        assertEquals("2024-10-21", requests.get(0).queryParameter("api-version").firstValue());
        assertEquals("azure-key-123", requests.get(0).getHeader("api-key"));
        var sent = new ObjectMapper().readTree(requests.get(0).getBodyAsString());
        assertEquals(compressed(16), sent.path("messages").get(0).path("content").textValue());
    }

    @Test
    void theDeploymentMapPricesABodyWithoutModelAndUnknownDeploymentsSayPriceUnknown() {
        upstream.stubFor(WireMock.post(urlPathEqualTo("/openai/deployments/prod-chat/responses")).willReturn(
                aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("{}")));
        upstream.stubFor(WireMock.post(urlPathEqualTo("/openai/deployments/other/completions")).willReturn(
                aResponse().withStatus(200).withHeader("content-type", "application/json").withBody("{}")));
        String responses = "{\"instructions\":" + quoted(doc(16)) + ",\"input\":\"Which one?\"}";
        given().contentType("application/json").body(responses)
                .post("/openai/deployments/prod-chat/responses?api-version=2025-03-01-preview")
                .then().statusCode(200).header("x-compression-status", equalTo("applied"))
                .header("x-compression-saved-usd", org.hamcrest.Matchers.not("0"));
        upstream.verify(postRequestedFor(urlEqualTo(
                "/openai/deployments/prod-chat/responses?api-version=2025-03-01-preview")));
        given().contentType("application/json").body("{\"prompt\":" + quoted(doc(16) + " Which one?") + "}")
                .post("/openai/deployments/other/completions?api-version=2024-10-21")
                .then().statusCode(200).header("x-compression-status", startsWith("applied; price-unknown"));
    }

    @Test
    void otherAzurePathsPassThroughWithTheirQuery() {
        upstream.stubFor(WireMock.get(urlPathEqualTo("/openai/models")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"data\":[]}")));
        given().header("api-key", "k").get("/openai/models?api-version=2024-10-21").then().statusCode(200);
        upstream.verify(getRequestedFor(urlEqualTo("/openai/models?api-version=2024-10-21")));
        given().get("/openai/../v1/models").then().statusCode(400);
        // A deployment name that is not valid percent-encoding is the client's mistake, never a 500.
        int status = given().contentType("application/json").body("{\"messages\":[]}")
                .post("/openai/deployments/%zz/chat/completions?api-version=1").then().extract().statusCode();
        assertTrue(status < 500 || status == 502, "got " + status);
        assertTrue(upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/models"))).isEmpty());
    }

    private static String quoted(String s) {
        try {
            return new ObjectMapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
