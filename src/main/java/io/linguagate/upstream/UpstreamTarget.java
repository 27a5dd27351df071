package io.linguagate.upstream;

import io.linguagate.config.UpstreamConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Where upstream calls go: host, port, TLS and the base path that replaces the gateway's {@code /v1}. */
public record UpstreamTarget(String host, int port, boolean tls, String basePath, String extraQuery) {

    /** The OpenAI-compatible upstream's target ({@code linguagate.upstream.*}). */
    public static UpstreamTarget of(UpstreamConfig config) {
        return of(UpstreamApi.OPENAI, config.baseUrl(), config.queryParams());
    }

    /**
     * @param queryParams extra query parameters sent on every call to this target
     * @throws IllegalArgumentException naming the key when the base URL is unusable
     */
    public static UpstreamTarget of(UpstreamApi api, String baseUrl, Map<String, String> queryParams) {
        URI uri;
        try {
            uri = URI.create(baseUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(api.baseUrlKey() + " is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(api.baseUrlKey() + " must be an absolute http(s) URL such as "
                    + api.exampleUrl() + ", got '" + baseUrl + "'");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new UpstreamTarget(uri.getHost(), port, tls, path, encode(queryParams));
    }

    private static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /** The request URI on the upstream for a path below the base URL (with the client's raw query). */
    public String uri(String pathAndQuery) {
        String uri = basePath + pathAndQuery;
        if (extraQuery.isEmpty()) {
            return uri;
        }
        return uri + (uri.indexOf('?') >= 0 ? "&" : "?") + extraQuery;
    }

    /** For log lines: scheme, host and port only (a base URL may carry credentials in its user-info). */
    public String describe() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
