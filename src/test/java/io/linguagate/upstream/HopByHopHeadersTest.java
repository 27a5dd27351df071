package io.linguagate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

    @Test
    void headersNamedOnAnyConnectionLineAreDropped() {
        // One line split into several, as AWS Lambda's HTTP handler passes "Connection: keep-alive, X-Hop".
        MultiMap in = MultiMap.caseInsensitiveMultiMap()
                .add("Connection", "keep-alive").add("Connection", " X-Hop").add("Connection", " keep-alive")
                .add("X-Hop", "only-to-the-gateway").add("X-Kept", "yes");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();

        HopByHopHeaders.copyEndToEnd(in, out);

        assertNull(out.get("X-Hop"));
        assertNull(out.get("Connection"));
        assertEquals("yes", out.get("X-Kept"));
    }
}
