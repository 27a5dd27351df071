package io.linguagate.savings;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.linguagate.config.SavingsConfig;
import io.linguagate.lingua.LoneSurrogates;
import io.linguagate.lingua.TargetTokenCounter;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Optional;

/**
 * The target LLM's tokenizer, picked from its model name (jtokkit bundles the encodings: nothing is downloaded).
 * OpenAI's current families are matched by prefix so that snapshots ({@code gpt-4o-2024-08-06}) and models newer
 * than jtokkit's own table are counted right; anything else gets the configured fallback.
 */
@Startup // created at start: a bad setting stops the start, and the first request pays no loading
@ApplicationScoped
public class TargetEncodings {

    private static final String[] O200K_PREFIXES = {"gpt-4o", "chatgpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3",
        "o4", "gpt-oss"};
    private static final String[] CL100K_PREFIXES = {"gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3",
        "text-embedding-ada-002"};

    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
    private final Encoding fallback;

    TargetEncodings(SavingsConfig config) {
        this.fallback = byName(config.fallbackEncoding()).orElseThrow(() -> new IllegalArgumentException(
                "linguagate.savings.fallback-encoding: unknown encoding '" + config.fallbackEncoding()
                        + "'; use cl100k_base, o200k_base, p50k_base or r50k_base"));
        // Loading an encoding's table takes a few hundred ms: at start, not in the first user's request.
        registry.getEncoding(EncodingType.O200K_BASE).countTokensOrdinary("warm-up");
        registry.getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary("warm-up");
    }

    /** The encoding named {@code name} ({@code cl100k_base}, ...), if jtokkit has it. */
    public Optional<Encoding> byName(String name) {
        return EncodingType.fromName(name.trim().toLowerCase(Locale.ROOT)).map(registry::getEncoding);
    }

    /** The encoding the target model {@code model} counts with; the fallback when the model is not recognised. */
    public Encoding forModel(String model) {
        String name = PriceTable.normalise(model);
        if (startsWithAny(name, O200K_PREFIXES)) {
            return registry.getEncoding(EncodingType.O200K_BASE);
        }
        if (startsWithAny(name, CL100K_PREFIXES)) {
            return registry.getEncoding(EncodingType.CL100K_BASE);
        }
        return registry.getEncodingForModel(name).orElse(fallback);
    }

    /** Counts like {@code encoding}; special-token text ({@code <|endoftext|>}) counts as ordinary text. */
    public static TargetTokenCounter counter(Encoding encoding) {
        // jtokkit works in UTF-8, which has no lone surrogates (see LoneSurrogates).
        return text -> encoding.countTokensOrdinary(LoneSurrogates.replaced(text));
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
