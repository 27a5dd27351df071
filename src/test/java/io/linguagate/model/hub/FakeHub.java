package io.linguagate.model.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hub on com.sun.net.httpserver in the Hugging Face layout ({@code /{owner}/{name}/resolve/{revision}/{file}}),
 * plus a second server on another port standing in for the storage CDN: files marked large are answered by the hub
 * with a 302 to the CDN (with {@code X-Linked-Size}, {@code X-Linked-Etag}, {@code X-Repo-Commit}), like the real
 * hub does for LFS files. Both record every request; both honour {@code Range: bytes=N-}.
 */
public final class FakeHub implements AutoCloseable {

    static final String COMMIT = "4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4";
    static final String SIGNATURE = "SIGNATURE-abc123";

    record Request(String method, String path, String authorization, String range) {
    }

    /** Something the CDN does wrong, a given number of times. */
    record Fault(Kind kind, long afterBytes) {
        enum Kind { TRUNCATE, STALL }
    }

    final String modelId;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Set<String> large = ConcurrentHashMap.newKeySet();
    final Map<String, Long> linkedSizeOverride = new ConcurrentHashMap<>();
    final Map<String, String> linkedEtagOverride = new ConcurrentHashMap<>();
    final Map<String, Integer> statusOverride = new ConcurrentHashMap<>();
    /** Milliseconds the hub waits before answering for a file. */
    final Map<String, Long> delayMillis = new ConcurrentHashMap<>();
    /** Old repository ids the hub redirects (307, relative Location) to this one, as for a renamed repository. */
    final Set<String> formerIds = ConcurrentHashMap.newKeySet();
    final List<Request> hubRequests = new CopyOnWriteArrayList<>();
    final List<Request> cdnRequests = new CopyOnWriteArrayList<>();
    /** Body bytes the CDN wrote, per request, in order. */
    final List<Long> cdnBodyBytes = new CopyOnWriteArrayList<>();
    final AtomicInteger faultsLeft = new AtomicInteger();
    volatile Fault fault;
    volatile String requiredToken;
    volatile boolean cdnHonoursRange = true;
    /** The CDN sends no Content-Length (chunked transfer). */
    volatile boolean cdnChunked;

    private final HttpServer hub;
    private final HttpServer cdn;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stopped;

    public FakeHub(String modelId) throws IOException {
        this.modelId = modelId;
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(any, 0);
        cdn = HttpServer.create(any, 0);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.createContext("/", this::hub);
        cdn.createContext("/", this::cdn);
        hub.start();
        cdn.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    int cdnPort() {
        return cdn.getAddress().getPort();
    }

    public FakeHub file(String path, byte[] content) {
        files.put(path, content);
        return this;
    }

    /** The hub waits this long before answering for {@code path} (until closed). */
    public FakeHub delay(String path, long millis) {
        delayMillis.put(path, millis);
        return this;
    }

    public FakeHub largeFile(String path, byte[] content) {
        large.add(path);
        return file(path, content);
    }

    /** The CDN misbehaves this way for the next {@code times} requests. */
    void fault(Fault.Kind kind, long afterBytes, int times) {
        fault = new Fault(kind, afterBytes);
        faultsLeft.set(times);
    }

    /** Both servers stop answering (connections are refused). */
    void stop() {
        if (!stopped) {
            stopped = true;
            release.countDown();
            hub.stop(0);
            cdn.stop(0);
        }
    }

    @Override
    public void close() {
        stop();
        executor.shutdownNow();
    }

    private void hub(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String rawPath = ex.getRequestURI().getRawPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            hubRequests.add(new Request(ex.getRequestMethod(), rawPath, auth, range));
            ex.getResponseHeaders().add("X-Repo-Commit", COMMIT);
            String prefix = "/" + modelId + "/resolve/";
            for (String former : formerIds) {
                String old = "/" + former + "/resolve/";
                if (rawPath.startsWith(old)) {
                    ex.getResponseHeaders().add("Location", prefix + rawPath.substring(old.length()));
                    ex.sendResponseHeaders(307, -1);
                    return;
                }
            }
            if (!rawPath.startsWith(prefix)) {
                error(ex, 404, "RepoNotFound");
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
                error(ex, 401, null);
                return;
            }
            String rest = rawPath.substring(prefix.length());
            int slash = rest.indexOf('/');
            String revision = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
            String file = URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
            if (!revision.equals("main") && !revision.equals(COMMIT)) {
                error(ex, 404, "RevisionNotFound");
                return;
            }
            Long delay = delayMillis.get(file);
            if (delay != null) {
                try {
                    release.await(delay, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = statusOverride.get(file);
            if (status != null) {
                error(ex, status, null);
                return;
            }
            byte[] content = files.get(file);
            if (content == null) {
                error(ex, 404, "EntryNotFound");
                return;
            }
            if (large.contains(file)) {
                String sha = sha256(content);
                ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + cdnPort() + "/blobs/" + sha
                        + "?X-Amz-Signature=" + SIGNATURE);
                ex.getResponseHeaders().add("X-Linked-Size",
                        String.valueOf(linkedSizeOverride.getOrDefault(file, (long) content.length)));
                ex.getResponseHeaders().add("X-Linked-Etag", linkedEtagOverride.getOrDefault(file, "\"" + sha + "\""));
                ex.getResponseHeaders().add("ETag", "\"hub-" + sha.substring(0, 16) + "\"");
                ex.sendResponseHeaders(302, -1);
                return;
            }
            ex.getResponseHeaders().add("ETag", "\"" + sha256(content).substring(0, 40) + "\"");
            serve(ex, content, null, true, null, false);
        }
    }

    private void cdn(HttpExchange ex) throws IOException {
        try (ex) {
            cdnRequests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Range")));
            String path = ex.getRequestURI().getRawPath();
            String sha = path.substring(path.lastIndexOf('/') + 1);
            byte[] content = files.entrySet().stream()
                    .filter(e -> large.contains(e.getKey()) && sha256(e.getValue()).equals(sha))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (content == null || !(SIGNATURE).equals(query(ex, "X-Amz-Signature"))) {
                error(ex, content == null ? 404 : 403, null);
                return;
            }
            Fault now = faultsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? fault : null;
            ex.getResponseHeaders().add("ETag", "\"cdn-" + sha.substring(0, 8) + "\"");
            serve(ex, content, now, cdnHonoursRange, cdnBodyBytes, cdnChunked);
        }
    }

    private void serve(HttpExchange ex, byte[] content, Fault fault, boolean honourRange, List<Long> bodyBytes,
            boolean chunked) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int start = 0;
        int status = 200;
        if (range != null && honourRange) {
            if (!range.matches("bytes=\\d+-")) {
                throw new IllegalStateException("unexpected Range header " + range);
            }
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            if (start >= content.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                if (bodyBytes != null) {
                    bodyBytes.add(0L);
                }
                return;
            }
            status = 206;
            ex.getResponseHeaders().add("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - start;
        ex.sendResponseHeaders(status, chunked ? 0 : length == 0 ? -1 : length);
        OutputStream out = ex.getResponseBody();
        if (fault == null) {
            out.write(content, start, length);
            if (bodyBytes != null) {
                bodyBytes.add((long) length);
            }
            return;
        }
        int sent = (int) Math.min(length, fault.afterBytes());
        out.write(content, start, sent);
        out.flush();
        if (bodyBytes != null) {
            bodyBytes.add((long) sent);
        }
        if (fault.kind() == Fault.Kind.STALL) {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Leaving the handler with an exception before the body is complete makes the server drop the connection.
        throw new IllegalStateException("fake CDN drops the connection after " + sent + " bytes");
    }

    private static void error(HttpExchange ex, int status, String code) throws IOException {
        if (code != null) {
            ex.getResponseHeaders().add("X-Error-Code", code);
        }
        byte[] body = ("{\"error\":\"" + (code == null ? "status " + status : code) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    private static String query(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hub request paths, for asserting what was asked for. */
    List<String> hubPaths() {
        return hubRequests.stream().map(Request::path).toList();
    }
}
