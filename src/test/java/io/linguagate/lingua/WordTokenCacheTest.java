package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordTokenCacheTest {

    @Test
    void countsEachDistinctWordOnceAndStaysBounded() {
        Fakes.UnitCounter counter = new Fakes.UnitCounter();
        WordTokenCache cache = new WordTokenCache(counter, 2);
        assertEquals(2, cache.applyAsInt("\u2581Hello"));
        assertEquals(2, cache.applyAsInt("\u2581Hello"));
        assertEquals(1, counter.calls);
        assertEquals(1, cache.applyAsInt("a"));
        assertEquals(3, cache.applyAsInt("a.b")); // third entry: the cache is cleared first
        assertEquals(2, cache.applyAsInt("\u2581Hello"));
        assertEquals(4, counter.calls);
    }
}
