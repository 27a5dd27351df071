package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The byte scan that lets bodies without tags skip the text walk: no false "no" for any way JSON can spell one. */
class TagPrecheckTest {

    private static boolean may(String json) {
        return RequestCompression.mayHoldTags(Buffer.buffer(json));
    }

    @Test
    void plainBodiesHoldNoTags() {
        assertFalse(may("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi <b>there</b>\"}]}"));
        assertFalse(may(""));
        assertFalse(may("{\"content\":\"llmlingu\"}"), "a prefix of the name is not the name");
    }

    @Test
    void anySpellingOfATagIsSeen() {
        assertTrue(may("{\"content\":\"<llmlingua rate=0.5>x</llmlingua>\"}"));
        assertTrue(may("{\"content\":\"\\u003cllmlingua>x\"}"), "escaped <");
        assertTrue(may("{\"content\":\"<\\u006clmlingua>x\"}"), "escaped letter");
        assertTrue(may("{\"content\":\"llmlingua\"}"), "the bare name: let the text walk decide");
    }
}
