package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compressed segments by (text hash, rate, force tokens, target encoding), least recently used evicted. Compression
 * is deterministic, so a hit returns exactly what inference would: a repeated system prompt costs no inference and
 * stays byte-identical (provider-side prompt caching keeps working). Keys hold a SHA-256, not the text.
 */
@ApplicationScoped
public class SegmentCache {

    /** Outputs larger than this are not kept: one huge document must not evict everything else. */
    static final int MAX_CACHED_CHARS = 256 * 1024;

    private final int capacity;
    private final Map<String, String> entries;

    @Inject
    SegmentCache(CompressionConfig config) {
        this(config.cacheSize());
    }

    SegmentCache(int capacity) {
        this.capacity = Math.max(0, capacity);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > SegmentCache.this.capacity;
            }
        };
    }

    static String key(String text, double rate, List<String> forceTokens, String encoding) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((encoding + '\u0000' + rate + '\u0000' + String.join("\u0000", forceTokens) + '\u0001')
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    synchronized Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, String compressed) {
        if (capacity > 0 && compressed.length() <= MAX_CACHED_CHARS) {
            entries.put(key, compressed);
        }
    }
}
