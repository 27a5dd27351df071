package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.TargetTokenCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Which texts of a request are compressed, and at which rate, whatever the API ({@link RequestShapes} lists them).
 * Compressed: context texts of the configured roles (system, developer, tool, function results, earlier user turns)
 * of at least {@code min-tokens}. Kept: the question unless very long (then all but its final sentence), assistant
 * turns, short texts, blocks marked for prompt caching. Everything a shape does not list (tool definitions, tool
 * calls, schemas, images, audio, files) is never looked at.
 */
final class MessagePolicy {

    private final CompressionConfig config;

    MessagePolicy(CompressionConfig config) {
        this.config = config;
    }

    /** The texts in order, each with the policy's decision; {@code counts[i]} gets text i's tokens. */
    List<TextSlot> plan(List<RequestText> texts, RequestSettings settings, TargetTokenCounter counter,
            List<Integer> counts) {
        List<TextSlot> slots = new ArrayList<>(texts.size());
        for (RequestText text : texts) {
            slots.add(decide(text, settings, counter, counts));
        }
        return slots;
    }

    private TextSlot decide(RequestText t, RequestSettings settings, TargetTokenCounter counter,
            List<Integer> counts) {
        int tokens = counter.count(t.text());
        counts.add(tokens);
        TextSlot kept = new TextSlot(t.pointer(), t.role(), t.text(), TextSlot.Treatment.KEEP, 1.0);
        return switch (t.kind()) {
            case KEEP -> kept;
            case QUESTION -> tokens > config.lastUserMinTokens()
                    ? kept.with(TextSlot.Treatment.COMPRESS_HEAD, config.lastUserRate()) : kept;
            case PROMPT -> tokens >= config.minTokens()
                    ? kept.with(TextSlot.Treatment.COMPRESS_HEAD, config.lastUserRate()) : kept;
            case CONTEXT -> settings.roles().contains(t.role()) && tokens >= config.minTokens()
                    ? kept.with(TextSlot.Treatment.COMPRESS, settings.rateFor(t.role())) : kept;
        };
    }

    /**
     * Splits off the final sentence of {@code text} (the actual question): the text after the last sentence end
     * ({@code . ! ?} or a line break) that precedes the final sentence's own end.
     *
     * @return the index where the final sentence starts (0 when the text is one sentence)
     */
    static int finalSentenceStart(String text) {
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        for (int i = end - 2; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n' || ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(text.charAt(i + 1)))) {
                return i + 1;
            }
        }
        return 0;
    }
}
