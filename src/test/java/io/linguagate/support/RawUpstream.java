package io.linguagate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a raw socket, for answers no HTTP library would send: interim 1xx replies, resets after the
 * headers, broken chunk framing, garbage status lines, bodies dripped a byte at a time. It reads each request
 * (Content-Length or chunked body), then runs the script for its {@code x-fault} header; requests without one get
 * the normal answer, which names the client ({@code x-client} header) so a test can tell whose answer arrived.
 * Connections are kept alive unless a script closes them, so a fault can reach the next request on the same
 * pooled connection — which is exactly what a proxy must prevent.
 */
public class RawUpstream implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives this upstream. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    /** What the upstream does with one request; it may write anything to the socket, or close it. */
    @FunctionalInterface
    public interface Script {
        void answer(Exchange exchange) throws Exception;
    }

    /**
     * One request as the upstream read it, and the raw socket to answer on; {@code earlier} counts the exchanges
     * this connection carried before.
     */
    public record Exchange(String requestLine, Map<String, String> headers, byte[] body, int earlier, Socket socket,
            OutputStream out) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean streaming() {
            return new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
        }

        public String client() {
            String client = header("x-client");
            return client == null ? "anonymous" : client;
        }

        public void write(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void write(byte[] raw) throws IOException {
            out.write(raw);
            out.flush();
        }

        /** Closes with a TCP reset instead of a FIN. */
        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        public void fin() throws IOException {
            socket.shutdownOutput();
            socket.close();
        }
    }

    /** The normal body for a client: a JSON answer, or an SSE stream ending in [DONE]. */
    public static String answerFor(String client) {
        return "{\"secret\":\"private answer of " + client + "\"}";
    }

    public static String eventsFor(String client) {
        return "data: {\"choices\":[{\"delta\":{\"content\":\"" + client + "\"}}]}\n\ndata: [DONE]\n\n";
    }

    /** The answer a well-behaved upstream gives: 200, sized, keep-alive. */
    public static void normal(Exchange ex) throws IOException {
        boolean sse = ex.streaming();
        byte[] body = (sse ? eventsFor(ex.client()) : answerFor(ex.client())).getBytes(StandardCharsets.UTF_8);
        ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + (sse ? "text/event-stream" : "application/json")
                + "\r\ncontent-length: " + body.length + "\r\n\r\n");
        ex.write(body);
    }

    private final Map<String, Script> faults = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private ServerSocket server;
    private ExecutorService threads;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("raw upstream did not start", e);
        }
        threads = Executors.newVirtualThreadPerTaskExecutor();
        threads.submit(this::acceptLoop);
        // Both upstreams: Anthropic's calls arrive as /v1/messages..., the OpenAI upstream's as /v1/chat/....
        return Map.of("linguagate.upstream.base-url", "http://127.0.0.1:" + server.getLocalPort() + "/v1",
                "linguagate.anthropic.base-url", "http://127.0.0.1:" + server.getLocalPort());
    }

    /** Requests carrying {@code x-fault: name} run this script. */
    public void fault(String name, Script script) {
        faults.put(name, script);
    }

    public int requests() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int earlier = 0; !socket.isClosed(); earlier++) {
                Exchange exchange = read(in, earlier, socket, out);
                if (exchange == null) {
                    return;
                }
                requests.incrementAndGet();
                String fault = exchange.header("x-fault");
                Script script = fault == null ? RawUpstream::normal : faults.get(fault);
                if (script == null) {
                    exchange.write("HTTP/1.1 500 Unknown fault\r\ncontent-length: 0\r\n\r\n");
                    continue;
                }
                script.answer(exchange);
            }
        } catch (SocketException e) {
            // the gateway hung up, or a script closed the socket
        } catch (Exception e) {
            if (!socket.isClosed()) {
                System.err.println("raw upstream: " + e);
            }
        } finally {
            open.remove(socket);
        }
    }

    private static Exchange read(InputStream in, int earlier, Socket socket, OutputStream out) throws IOException {
        String requestLine = line(in);
        if (requestLine == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0;
                    size = Integer.parseInt(line(in).trim(), 16)) {
                all.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = all.toByteArray();
        } else {
            body = new byte[0];
        }
        return new Exchange(requestLine, headers, body, earlier, socket, out);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Inject.class, RawUpstream.class));
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        });
        threads.shutdownNow();
    }
}
