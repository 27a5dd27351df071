package io.linguagate.chat;

import io.linguagate.support.TinyModelResource;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A gateway with a tiny BERT-shaped model whose keep probabilities make outcomes computable by hand: "ship" .9,
 * "notes" .8, "Monday" .95, "." .6, "we" .2, "will" .3, "on" .15, every other token .1. Texts of 20+ tokens are
 * compressed (the production default, 200, would need very long test messages).
 *
 * <p>Test classes sharing this profile share one running gateway, hence one segment cache: each class compresses
 * docs of its own sizes (ChatCompressionTest 9-13, RealContentTest 14-15, AzureDeploymentsTest 16,
 * ResponsesAndCompletionsTest 17, AnthropicCompressionTest 18) so that no test finds another's text cached.
 */
public class ChatCompressionProfile implements QuarkusTestProfile {

    static final String KEEP = "we=0.2,will=0.3,ship=0.9,the=0.1,notes=0.8,on=0.15,Monday=0.95,.=0.6";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("linguagate.compression.min-tokens", "20",
                "linguagate.compression.last-user-min-tokens", "60",
                "linguagate.azure.deployments.prod-chat", "gpt-4o");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WireMockUpstream.class),
                new TestResourceEntry(TinyModelResource.class, Map.of("keep", KEEP)));
    }
}
