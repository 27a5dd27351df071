package io.linguagate.gateway;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * The path and query a client request is forwarded to, below the configured base URL. The router matches on the
 * normalised path, but what goes upstream is built here from the raw request target, so anything that could
 * resolve outside {@code /v1} on the upstream is refused rather than forwarded: a target that is not a path
 * (absolute-form {@code http://host/...}), dot segments, empty segments ({@code //}), and encoded {@code .},
 * {@code /} or {@code \}.
 */
final class UpstreamPath {

    private UpstreamPath() {
    }

    /** {@code /chat/completions?x=1} for {@code /v1/chat/completions?x=1}; 400 for a target that could escape. */
    static String below(HttpServerRequest request) {
        String target = confined(request);
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (!path.equals("/v1") && !path.startsWith("/v1/")) {
            throw refused("The request path must start with /v1/.");
        }
        return path.substring(3) + (query < 0 ? "" : target.substring(query));
    }

    /** The raw request target, once it is known not to escape (400 otherwise); used for unserved paths too. */
    static String confined(HttpServerRequest request) {
        String target = request.uri();
        if (target == null || !target.startsWith("/")) {
            throw refused("The request target must be a path such as /v1/models, not an absolute URL.");
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || path.indexOf('\\') >= 0) {
            throw refused("The request path must not contain encoded '.', '/' or '\\' characters.");
        }
        if (path.contains("//")) {
            throw refused("The request path must not contain empty segments ('//').");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw refused("The request path must not contain '.' or '..' segments.");
            }
        }
        return target;
    }

    private static GatewayException refused(String message) {
        return new GatewayException(OpenAiError.invalidRequest("invalid_path", null, message));
    }
}
