package io.linguagate.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * GET requests to the hub with redirects followed here, not by the JDK client: the {@code Authorization} header goes
 * only to the hub's own origin (scheme, host and port of {@link HubSource#hubUrl()}), never to the storage/CDN host a
 * large file is redirected to (JDK 17 forwards it on cross-host redirects, later JDKs drop it; following them here
 * makes that independent of the runtime), and the hub's own answer headers ({@code X-Repo-Commit},
 * {@code X-Linked-Size}, {@code X-Linked-Etag}) stay readable.
 */
final class HubHttp implements AutoCloseable {

    static final int MAX_REDIRECTS = 10;
    static final String USER_AGENT = "linguagate-model-fetcher/1";

    private final HttpClient client;
    private final URI hub;
    private final Optional<String> token;
    private final Duration readTimeout;
    private URI lastRequested;

    HubHttp(HubSource source) {
        this.hub = source.hubUrl();
        this.token = source.token();
        this.readTimeout = source.readTimeout();
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(source.connectTimeout())
                .build();
    }

    /**
     * What the hub said about a file, taken along the redirect chain with the first value seen winning (the hub
     * answers first; a storage host's own ETag does not replace the hub's).
     *
     * @param linkedSize {@code X-Linked-Size}, or -1
     */
    record HubHeaders(String commit, long linkedSize, String linkedEtag, String etag, String errorCode,
            String errorMessage) {

        /** The file's identity for resume checks: {@code X-Linked-Etag} (large files) else {@code ETag}. */
        String validator() {
            return linkedEtag != null ? linkedEtag : etag;
        }
    }

    /** The last answer in a redirect chain. The caller closes it. */
    record Response(int status, URI uri, HttpHeaders headers, HubHeaders hub, InputStream body)
            implements AutoCloseable {

        /** {@code Content-Length}, or -1. */
        long contentLength() {
            return parseLong(headers.firstValue("Content-Length").orElse(null));
        }

        /** {@code scheme://host[:port]} of the answering server: no path, no query (storage URLs carry signatures). */
        String origin() {
            return HubHttp.origin(uri);
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // Nothing to do: the connection is dropped.
            }
        }
    }

    /**
     * GET {@code url}, asking for bytes from {@code rangeStart} on when it is above zero, following redirects.
     * When the hub's answer on the way shows a validator other than {@code expectedValidator} (the file changed since
     * the partial download), the rest of the chain is asked for the whole file instead.
     *
     * @throws ProtocolException for a redirect that cannot be followed
     */
    Response get(URI url, long rangeStart, String expectedValidator) throws IOException, InterruptedException {
        URI current = url;
        HubHeaders seen = new HubHeaders(null, -1, null, null, null, null);
        for (int hop = 0;; hop++) {
            lastRequested = current;
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .GET()
                    .timeout(readTimeout)
                    .header("User-Agent", USER_AGENT)
                    .header("Accept-Encoding", "identity");
            if (rangeStart > 0) {
                request.header("Range", "bytes=" + rangeStart + "-");
            }
            if (token.isPresent() && sameOrigin(current, hub)) {
                request.header("Authorization", "Bearer " + token.get());
            }
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            seen = merge(seen, response.headers());
            int status = response.statusCode();
            if (!isRedirect(status)) {
                return new Response(status, current, response.headers(), seen, response.body());
            }
            response.body().close();
            if (rangeStart > 0 && expectedValidator != null && seen.validator() != null
                    && !expectedValidator.equals(seen.validator())) {
                rangeStart = 0;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || location.isBlank()) {
                throw new ProtocolException(origin(current) + " answered " + status + " without a Location header");
            }
            if (hop >= MAX_REDIRECTS) {
                throw new ProtocolException("more than " + MAX_REDIRECTS + " redirects");
            }
            URI next;
            try {
                next = current.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(origin(current) + " redirected to an unusable location");
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
                throw new ProtocolException(origin(current) + " redirected to a non-HTTP location");
            }
            current = next;
        }
    }

    /** The URL of the last request sent (or being sent), for naming the host a connection failed to. */
    URI lastRequested() {
        return lastRequested;
    }

    /** Every response has been closed by now; stop the client's threads without waiting for anything. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    static long parseLong(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            return parsed < 0 ? -1 : parsed;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static HubHeaders merge(HubHeaders seen, HttpHeaders headers) {
        return new HubHeaders(
                first(seen.commit(), headers, "X-Repo-Commit"),
                seen.linkedSize() >= 0 ? seen.linkedSize()
                        : parseLong(headers.firstValue("X-Linked-Size").orElse(null)),
                first(seen.linkedEtag(), headers, "X-Linked-Etag"),
                first(seen.etag(), headers, "ETag"),
                // Error details describe the last answer, which is the only one that can be an error.
                headers.firstValue("X-Error-Code").orElse(null),
                headers.firstValue("X-Error-Message").orElse(null));
    }

    private static String first(String seen, HttpHeaders headers, String name) {
        if (seen != null) {
            return seen;
        }
        return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
    }
}
