package io.linguagate.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pure pieces of the chat pipeline: final-sentence split, whitespace at joins, cache keys and eviction. */
class PlanPiecesTest {

    @Test
    void theFinalSentenceStartsAfterTheLastSentenceEnd() {
        String text = "Read this. And this!\nWhat is 2.5 times 2?  ";
        assertEquals("What is 2.5 times 2?  ", text.substring(MessagePolicy.finalSentenceStart(text)));
        assertEquals(0, MessagePolicy.finalSentenceStart("Just one question?"));
        assertEquals("Why?", "Context. Why?".substring(MessagePolicy.finalSentenceStart("Context. Why?")).strip());
    }

    @Test
    void aCompressedSegmentKeepsItsOwnEdgeWhitespace() {
        assertEquals(" ship Monday\n", ChatCompressor.keepEdges(" we ship on Monday\n", "ship Monday"));
        assertEquals("ship", ChatCompressor.keepEdges("we ship", " ship "));
        assertEquals(" ", ChatCompressor.keepEdges(" all dropped ", ""));
        assertEquals("", ChatCompressor.keepEdges("all dropped", ""));
    }

    @Test
    void cacheKeysSeparateRateForceTokensAndEncoding() {
        String key = SegmentCache.key("text", 0.5, List.of("\n"), "o200k_base");
        assertEquals(key, SegmentCache.key("text", 0.5, List.of("\n"), "o200k_base"));
        assertNotEquals(key, SegmentCache.key("text", 0.4, List.of("\n"), "o200k_base"));
        assertNotEquals(key, SegmentCache.key("text", 0.5, List.of("\n", "?"), "o200k_base"));
        assertNotEquals(key, SegmentCache.key("text", 0.5, List.of("\n"), "cl100k_base"));
        assertNotEquals(key, SegmentCache.key("text!", 0.5, List.of("\n"), "o200k_base"));
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsed() {
        SegmentCache cache = new SegmentCache(2, 1 << 20);
        cache.put("a", "A");
        cache.put("b", "B");
        cache.get("a");
        cache.put("c", "C");
        assertTrue(cache.get("a").isPresent());
        assertTrue(cache.get("b").isEmpty());
        assertTrue(cache.get("c").isPresent());
        SegmentCache off = new SegmentCache(0, 1 << 20);
        off.put("a", "A");
        assertTrue(off.get("a").isEmpty());
    }

    @Test
    void theCacheIsBoundedInBytesWhateverTheEntryCount() {
        String text = "x".repeat(10_000); // 20,000 bytes as UTF-16, plus the entry overhead
        long entry = 2L * text.length() + SegmentCache.ENTRY_OVERHEAD_BYTES;
        SegmentCache cache = new SegmentCache(2000, 3 * entry);
        for (int i = 0; i < 10; i++) {
            cache.put("k" + i, text);
        }
        assertEquals(3 * entry, cache.bytes());
        assertTrue(cache.get("k9").isPresent() && cache.get("k7").isPresent());
        assertTrue(cache.get("k6").isEmpty());
        cache.put("k9", "short");
        assertEquals(2 * entry + 10 + SegmentCache.ENTRY_OVERHEAD_BYTES, cache.bytes());
        // A single entry above the bound is not kept at all.
        new SegmentCache(2000, 100).put("big", text);
    }

    @Test
    void cacheKeysAreExactForAnyUtf16Text() {
        // UTF-8 turns a lone surrogate into '?': keys must not.
        assertNotEquals(SegmentCache.key("a\uD800b", 0.5, List.of("\n"), "o200k_base"),
                SegmentCache.key("a?b", 0.5, List.of("\n"), "o200k_base"));
        // Field boundaries are part of the key: a force token cannot slide into the text.
        assertNotEquals(SegmentCache.key("b", 0.5, List.of("\n", "a"), "o200k_base"),
                SegmentCache.key("ab", 0.5, List.of("\n"), "o200k_base"));
        assertNotEquals(SegmentCache.key("x", 0.5, List.of("a\u0000b"), "o200k_base"),
                SegmentCache.key("x", 0.5, List.of("a", "b"), "o200k_base"));
    }
}
