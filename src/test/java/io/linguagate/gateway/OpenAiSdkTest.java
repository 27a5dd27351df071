package io.linguagate.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, pointed at the gateway by its base URL only. */
@QuarkusTest
@WithTestResource(WireMockUpstream.class)
class OpenAiSdkTest {

    @WireMockUpstream.Inject
    WireMockServer upstream;

    @TestHTTPResource("/v1")
    URI gateway;

    private OpenAIClient client;

    @BeforeEach
    void setUp() {
        upstream.resetAll();
        client = OpenAIOkHttpClient.builder().baseUrl(gateway.toString()).apiKey("sk-sdk-test").maxRetries(0)
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
                .addSystemMessage("You are terse.").addUserMessage("Say hi")
                .putAdditionalBodyProperty("vendor_extension", JsonValue.from(Map.of("tier", "gold")))
                .build();
    }

    @Test
    void nonStreaming() {
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("""
                        {"id":"chatcmpl-9","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",
                         "choices":[{"index":0,"finish_reason":"stop",
                                     "message":{"role":"assistant","content":"Hi!","refusal":null}}],
                         "usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""")));

        ChatCompletion completion = client.chat().completions().create(params());

        assertEquals("Hi!", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(12, completion.usage().orElseThrow().promptTokens());
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", WireMock.equalTo("Bearer sk-sdk-test"))
                .withRequestBody(matchingJsonPath("$.vendor_extension.tier", WireMock.equalTo("gold")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", WireMock.equalTo("Say hi"))));
    }

    @Test
    void streaming() {
        StringBuilder sse = new StringBuilder();
        for (String token : new String[] {"Hel", "lo", " there"}) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(token).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: [DONE]\n\n");
        upstream.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "text/event-stream").withBody(sse.toString())));

        String text;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params())) {
            text = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        }

        assertEquals("Hello there", text);
        upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.stream", WireMock.equalTo("true"))));
    }

    @Test
    void gatewayErrorsReachTheSdkAsTypedErrors() {
        // A client-side mistake the gateway catches itself: the SDK sees OpenAI's error shape.
        BadRequestException error = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model(ChatModel.GPT_4O_MINI).messages(java.util.List.of())
                        .putAdditionalBodyProperty("compression", JsonValue.from(java.util.Map.of("rate", 7)))
                        .build()));
        assertEquals("invalid_value", error.code().orElseThrow());
        // An extra body property named like a typed one makes the SDK write the key twice: refused, never guessed.
        BadRequestException duplicate = assertThrows(BadRequestException.class,
                () -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model(ChatModel.GPT_4O_MINI).messages(java.util.List.of())
                        .putAdditionalBodyProperty("messages", JsonValue.from("not a list")).build()));
        assertEquals("invalid_json", duplicate.code().orElseThrow());
        assertTrue(duplicate.getMessage().contains("Duplicate field 'messages'"), duplicate.getMessage());
        upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }
}
