package io.linguagate.plan;

import io.linguagate.config.CompressionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Compressed segments by (text hash, rate, force tokens, target encoding), least recently used evicted, bounded by
 * entries and by bytes held. Compression is deterministic, so a hit returns exactly what inference would: a repeated
 * system prompt costs no inference and stays byte-identical (provider-side prompt caching keeps working). Keys hold
 * a SHA-256 of an exact encoding ({@link ExactDigest}), not the text.
 */
@ApplicationScoped
public class SegmentCache {

    /** Outputs larger than this are not kept: one huge document must not evict everything else. */
    static final int MAX_CACHED_CHARS = 256 * 1024;
    /** Heap held by one entry besides its text: key string (64 hex chars), map node, string headers. */
    static final long ENTRY_OVERHEAD_BYTES = 256;

    private final int capacity;
    private final long maxBytes;
    private final LinkedHashMap<String, String> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    @Inject
    SegmentCache(CompressionConfig config) {
        this(config.cacheSize(), config.cacheMaxBytes().asLongValue());
    }

    SegmentCache(int capacity, long maxBytes) {
        this.capacity = Math.max(0, capacity);
        this.maxBytes = Math.max(0, maxBytes);
    }

    static String key(String text, double rate, List<String> forceTokens, String encoding) {
        String[] parts = new String[forceTokens.size() + 4];
        parts[0] = encoding;
        parts[1] = Double.toString(rate);
        parts[2] = Integer.toString(forceTokens.size());
        for (int i = 0; i < forceTokens.size(); i++) {
            parts[3 + i] = forceTokens.get(i);
        }
        parts[parts.length - 1] = text;
        return ExactDigest.of(parts);
    }

    /** What an entry costs on the heap: UTF-16 text plus the fixed overhead. */
    static long size(String compressed) {
        return 2L * compressed.length() + ENTRY_OVERHEAD_BYTES;
    }

    synchronized Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    synchronized void put(String key, String compressed) {
        long size = size(compressed);
        if (capacity == 0 || compressed.length() > MAX_CACHED_CHARS || size > maxBytes) {
            return;
        }
        String previous = entries.put(key, compressed);
        bytes += size - (previous == null ? 0 : size(previous));
        var eldest = entries.entrySet().iterator();
        while ((entries.size() > capacity || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= size(eldest.next().getValue());
            eldest.remove();
        }
    }

    /** Heap the cached texts hold, as {@link #size} counts it. */
    synchronized long bytes() {
        return bytes;
    }
}
