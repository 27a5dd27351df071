package io.linguagate.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A response body read to its end, or to where it broke off: what a client saw, and whether the stream was cut
 * (a read error rather than a clean end). Decoded once, at the end, so no character is split between two reads.
 */
public record ReadBody(String text, boolean cut) {

    public static ReadBody of(InputStream body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean cut = false;
        try (InputStream in = body) {
            in.transferTo(bytes);
        } catch (IOException e) {
            cut = true;
        }
        return new ReadBody(bytes.toString(StandardCharsets.UTF_8), cut);
    }
}
