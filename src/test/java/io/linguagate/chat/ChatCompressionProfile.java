package io.linguagate.chat;

import io.linguagate.support.TinyModelResource;
import io.linguagate.support.WireMockUpstream;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A gateway with a tiny BERT-shaped model whose keep probabilities make outcomes computable by hand: "ship" .9,
 * "notes" .8, "Monday" .95, "." .6, "we" .2, "will" .3, "on" .15, every other token .1. Texts of 20+ tokens are
 * compressed (the production default, 200, would need very long test messages).
 *
 * <p>Test classes sharing this profile share one running gateway, hence one segment cache: each class compresses
 * docs of its own sizes (ChatCompressionTest 9-13, RealContentTest 14-15, AzureDeploymentsTest 16,
 * ResponsesAndCompletionsTest 17, AnthropicCompressionTest 18; the warm-up prompts 21-22, which FailOpenTest's own
 * gateway has too) so that no test finds another's text cached.
 */
public class ChatCompressionProfile implements QuarkusTestProfile {

    static final String KEEP = "we=0.2,will=0.3,ship=0.9,the=0.1,notes=0.8,on=0.15,Monday=0.95,.=0.6";

    /** Warm-up bodies: a chat request with system prompt doc(21), a Responses request with instructions doc(22). */
    static String warmPrompts() {
        return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\""
                + ChatCompressionTest.doc(21) + "\"},{\"role\":\"user\",\"content\":\"ok\"}]}\n\n"
                + "{\"model\":\"gpt-4o-mini\",\"instructions\":\"" + ChatCompressionTest.doc(22)
                + "\",\"input\":\"ok\"}\n";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Path file;
        try {
            file = Files.createTempFile("linguagate-warm-prompts", ".jsonl");
            Files.writeString(file, warmPrompts());
            file.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("linguagate.compression.min-tokens", "20",
                "linguagate.compression.last-user-min-tokens", "60",
                "linguagate.azure.deployments.prod-chat", "gpt-4o",
                "linguagate.compression.warm-prompts", file.toString());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WireMockUpstream.class),
                new TestResourceEntry(TinyModelResource.class, Map.of("keep", KEEP)));
    }
}
