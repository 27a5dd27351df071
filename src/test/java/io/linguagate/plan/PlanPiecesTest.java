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
        SegmentCache cache = new SegmentCache(2);
        cache.put("a", "A");
        cache.put("b", "B");
        cache.get("a");
        cache.put("c", "C");
        assertTrue(cache.get("a").isPresent());
        assertTrue(cache.get("b").isEmpty());
        assertTrue(cache.get("c").isPresent());
        SegmentCache off = new SegmentCache(0);
        off.put("a", "A");
        assertTrue(off.get("a").isEmpty());
    }
}
