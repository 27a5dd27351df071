package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import io.linguagate.lingua.TargetTokenCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Target-LLM token counts of long texts by (encoding, text hash), least recently used evicted. Counting a 2k-token
 * system prompt costs about half a millisecond; hashing it a few microseconds. A repeated prompt is counted twice
 * per request (before, and its compressed form after), so without this a cache hit would still cost about a
 * millisecond of counting.
 */
@ApplicationScoped
public class CountCache {

    /** Shorter texts are counted directly: cheaper than hashing them. */
    static final int MIN_CACHED_CHARS = 512;

    private final int capacity;
    private final Map<String, Integer> counts;

    @Inject
    CountCache(CompressionConfig config) {
        this(2 * config.cacheSize());
    }

    CountCache(int capacity) {
        this.capacity = Math.max(0, capacity);
        this.counts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > CountCache.this.capacity;
            }
        };
    }

    /** A counter for {@code encoding} that remembers long texts' counts. */
    TargetTokenCounter counting(String encoding, TargetTokenCounter counter) {
        return text -> count(encoding, text, counter);
    }

    int count(String encoding, String text, TargetTokenCounter counter) {
        if (text.length() < MIN_CACHED_CHARS || capacity == 0) {
            return counter.count(text);
        }
        String key = key(encoding, text);
        synchronized (this) {
            Integer known = counts.get(key);
            if (known != null) {
                return known;
            }
        }
        int n = counter.count(text);
        synchronized (this) {
            counts.put(key, n);
        }
        return n;
    }

    private static String key(String encoding, String text) {
        return ExactDigest.of(encoding, text);
    }
}
