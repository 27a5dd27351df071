package io.linguagate.testmodel;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens DJL tokenizers the way LinguaGate needs them: offline (no telemetry, no native download),
 * no special tokens, no truncation (DJL's default silently cuts at 512), no padding.
 */
public final class DjlTokenizers {

    private DjlTokenizers() {
    }

    /**
     * Sets DJL's offline switches as system properties. DJL reads {@code OPT_OUT_TRACKING} from the
     * environment or a system property; an environment {@code DJL_OFFLINE} wins over
     * {@code ai.djl.offline}.
     */
    public static void enableOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /** Loads {@code tokenizer.json} (a file, or a directory holding one) with no specials, truncation or padding. */
    public static HuggingFaceTokenizer loadRaw(Path tokenizerJsonOrDir) throws IOException {
        enableOffline();
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJsonOrDir)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build();
    }
}
