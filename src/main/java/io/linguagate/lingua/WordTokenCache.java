package io.linguagate.lingua;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Target-LLM token counts of single words, shared across requests. The threshold step counts
 * every word of every chunk; words repeat within and across prompts, and counting is a pure
 * function, so a bounded cache makes that step cheap without changing any result.
 */
final class WordTokenCache implements ToIntFunction<String> {

    private final TargetTokenCounter counter;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

    WordTokenCache(TargetTokenCounter counter, int maxEntries) {
        this.counter = counter;
        this.maxEntries = maxEntries;
    }

    @Override
    public int applyAsInt(String word) {
        Integer cached = counts.get(word);
        if (cached != null) {
            return cached;
        }
        int n = counter.count(word);
        if (word.length() <= 64) { // long "words" (base64, URLs) are rarely repeated
            if (counts.size() >= maxEntries) {
                counts.clear(); // crude but bounded; a miss only costs a recount
            }
            counts.put(word, n);
        }
        return n;
    }
}
