package io.linguagate.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * A local WireMock server standing in for the upstream LLM APIs: the OpenAI-compatible base URL is {@code {server}/v1},
 * Anthropic's is {@code {server}/anthropic} (so its calls arrive as {@code /anthropic/v1/...}, told apart from the
 * OpenAI upstream's by path).
 */
public class WireMockUpstream implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running {@link WireMockServer}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        return Map.of("linguagate.upstream.base-url", server.baseUrl() + "/v1",
                "linguagate.anthropic.base-url", server.baseUrl() + "/anthropic");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(Inject.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
