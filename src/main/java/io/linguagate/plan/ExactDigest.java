package io.linguagate.plan;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over a sequence of strings, each written as its length then its UTF-16 code units: no two different
 * sequences have the same input. (UTF-8 bytes would not do: Java encodes a lone surrogate as '?', so "\uD800" and
 * "?" would share a key, and one client could plant a cache entry another client's different text receives.)
 */
final class ExactDigest {

    private ExactDigest() {
    }

    static String of(String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        byte[] buffer = new byte[8192];
        for (String part : parts) {
            int length = part.length();
            sha.update(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                    (byte) length});
            int n = 0;
            for (int i = 0; i < length; i++) {
                char c = part.charAt(i);
                buffer[n++] = (byte) (c >>> 8);
                buffer[n++] = (byte) c;
                if (n == buffer.length) {
                    sha.update(buffer, 0, n);
                    n = 0;
                }
            }
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
