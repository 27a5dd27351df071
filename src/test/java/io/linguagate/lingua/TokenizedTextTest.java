package io.linguagate.lingua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenizedTextTest {

    @Test
    void codePointOffsetsBecomeCharOffsets() {
        // "😀" is one code point but two chars
        String text = "a😀 b";
        TokenizedText t = TokenizedText.fromCodePointOffsets(text, new int[] {1, 2, 3}, new String[] {"a", "😀", "b"},
                new int[] {0, 1, 3}, new int[] {1, 2, 4});
        assertArrayEquals(new int[] {0, 1, 4}, t.starts());
        assertArrayEquals(new int[] {1, 3, 5}, t.ends());
    }

    @Test
    void arraysMustAgree() {
        assertThrows(IllegalArgumentException.class,
                () -> new TokenizedText(new int[2], new String[1], new int[2], new int[2]));
    }
}
