package io.linguagate.upstream;

import io.linguagate.config.AnthropicConfig;
import io.linguagate.config.UpstreamConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Masks the gateway's own upstream credentials ({@code upstream.api-key}, credential headers in
 * {@code upstream.headers.*}, {@code anthropic.api-key}) in what either upstream sends back on errors: some upstreams
 * echo request headers in error bodies, and the client must never read a key the gateway holds for it. Masking keeps
 * the length (each byte becomes {@code *}), so a declared Content-Length stays true.
 */
@ApplicationScoped
public class SecretScrubber {

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "api-key", "x-api-key",
            "proxy-authorization");
    /** Shorter values are not masked: they would mask ordinary text, and are no real key anyway. */
    private static final int MIN_SECRET = 8;

    private final List<byte[]> secrets = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();
    private final int longest;

    SecretScrubber(UpstreamConfig config, AnthropicConfig anthropic) {
        config.apiKey().ifPresent(this::add);
        anthropic.apiKey().ifPresent(this::add);
        for (Map.Entry<String, String> header : config.headers().entrySet()) {
            if (isCredentialHeader(header.getKey())) {
                String value = header.getValue().trim();
                add(value);
                int space = value.indexOf(' ');
                if (space > 0) {
                    add(value.substring(space + 1).trim()); // "Bearer KEY": the key alone too
                }
            }
        }
        this.longest = secrets.stream().mapToInt(s -> s.length).max().orElse(0);
    }

    /** Whether a header of this name carries a credential (and so lends a key when the gateway sets it). */
    public static boolean isCredentialHeader(String name) {
        return CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    private void add(String secret) {
        if (secret.length() >= MIN_SECRET && !texts.contains(secret)) {
            texts.add(secret);
            secrets.add(secret.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Whether the gateway holds any upstream credential to protect. */
    public boolean active() {
        return !secrets.isEmpty();
    }

    /** {@code body} with every credential masked (the same buffer when there is none). */
    public Buffer scrub(Buffer body) {
        if (!active() || body == null) {
            return body;
        }
        byte[] bytes = body.getBytes();
        return mask(bytes) ? Buffer.buffer(bytes) : body;
    }

    /** Masks credentials in header values, in place. */
    public void scrub(MultiMap headers) {
        if (!active()) {
            return;
        }
        for (String name : Set.copyOf(headers.names())) {
            List<String> values = headers.getAll(name);
            List<String> masked = values.stream().map(this::scrub).toList();
            if (!masked.equals(values)) {
                headers.set(name, masked);
            }
        }
    }

    private String scrub(String value) {
        for (String secret : texts) {
            value = value.replace(secret, "*".repeat(secret.length()));
        }
        return value;
    }

    /** A scrubber for a body that arrives in chunks: a credential split across two chunks is masked too. */
    public Stream stream() {
        return new Stream();
    }

    /** Holds back the last (longest credential − 1) bytes of each chunk until the next one shows how they go on. */
    public final class Stream {
        private byte[] pending = new byte[0];

        /** The bytes of {@code chunk} (and of earlier held-back ones) that are now safe to pass on. */
        public Buffer next(Buffer chunk) {
            if (!active()) {
                return chunk;
            }
            byte[] all = new byte[pending.length + chunk.length()];
            System.arraycopy(pending, 0, all, 0, pending.length);
            chunk.getBytes(all, pending.length);
            mask(all);
            int safe = Math.max(0, all.length - (longest - 1));
            pending = Arrays.copyOfRange(all, safe, all.length);
            return Buffer.buffer(Arrays.copyOf(all, safe));
        }

        /** What is still held back, at the end of the body. */
        public Buffer rest() {
            Buffer rest = Buffer.buffer(pending);
            pending = new byte[0];
            return rest;
        }
    }

    private boolean mask(byte[] bytes) {
        boolean masked = false;
        for (byte[] secret : secrets) {
            for (int i = indexOf(bytes, secret, 0); i >= 0; i = indexOf(bytes, secret, i + secret.length)) {
                Arrays.fill(bytes, i, i + secret.length, (byte) '*');
                masked = true;
            }
        }
        return masked;
    }

    private static int indexOf(byte[] bytes, byte[] secret, int from) {
        outer:
        for (int i = from; i <= bytes.length - secret.length; i++) {
            for (int j = 0; j < secret.length; j++) {
                if (bytes[i + j] != secret[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
