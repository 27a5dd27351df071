package io.linguagate.gateway;

import io.linguagate.config.AuthConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks the gateway's own inbound keys, when configured; otherwise every caller's credentials go upstream. The key
 * is read from {@code Authorization: Bearer}, then {@code api-key} (Azure clients), then {@code x-api-key} (Anthropic
 * clients), on every route; none of these headers is forwarded while keys are checked ({@code UpstreamHeaders}).
 */
@ApplicationScoped
public class InboundAuth {

    private static final OpenAiError MISSING = new OpenAiError(401, "invalid_request_error", "missing_api_key", null,
            "You didn't provide an API key. Send one of the gateway's keys as 'Authorization: Bearer KEY' "
                    + "(or 'x-api-key: KEY').");
    private static final OpenAiError INVALID = new OpenAiError(401, "invalid_request_error", "invalid_api_key", null,
            "Incorrect API key provided.");

    private final List<byte[]> keys;

    InboundAuth(AuthConfig config) {
        this.keys = config.keys().orElse(java.util.Set.of()).stream()
                .map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** Throws a 401 {@link GatewayException} unless the request presents a configured key. */
    public void check(HttpServerRequest request) {
        if (keys.isEmpty()) {
            return;
        }
        String presented = presentedKey(request);
        if (presented == null || presented.isEmpty()) {
            throw new GatewayException(MISSING);
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            // Constant-time per key, and every key is compared, so timing says nothing about which one is close.
            match |= MessageDigest.isEqual(key, candidate);
        }
        if (!match) {
            throw new GatewayException(INVALID);
        }
    }

    private static String presentedKey(HttpServerRequest request) {
        String authorization = request.getHeader("authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String azure = request.getHeader("api-key");
        return azure != null ? azure : request.getHeader("x-api-key");
    }
}
