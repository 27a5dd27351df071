import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * LinguaGate benchmark: the gateway's added latency and throughput against the same local upstream called directly.
 * JDK classes only; runs with Java's single-file source launcher ({@code java bench/GatewayBench.java MODE ...}) or
 * compiled with javac (bench/gateway-bench.sh does the latter). Two modes:
 *
 * <ul>
 * <li>{@code upstream --port P}: a small, fast OpenAI-compatible stub on 127.0.0.1 (thread per keep-alive connection,
 * blocking sockets). {@code POST /v1/chat/completions} answers a fixed ~500-byte chat.completion; with
 * {@code "stream":true} it answers SSE: the first event is written and flushed at once, then N more events with a
 * small delay, then {@code data: [DONE]}.</li>
 * <li>{@code load --direct URL --gateway URL}: open-loop load at fixed rates (latency measured from each request's
 * intended start time, so stalls are not hidden: no coordinated omission) and a closed-loop throughput phase, each run
 * against the upstream directly and through the gateway, interleaved, and printed as a table with the targets.</li>
 * </ul>
 *
 * See bench/README.md.
 */
public class GatewayBench {

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return;
        }
        Map<String, String> opts = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "upstream" -> Upstream.run(opts);
            case "load" -> System.exit(Load.run(opts, String.join(" ", args)));
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    static void usage() {
        System.out.println("""
                usage:
                  java bench/GatewayBench.java upstream --port 18081 [--stream-events 8] [--stream-delay-ms 5] [--max-seconds 1800]
                  java bench/GatewayBench.java load --direct http://127.0.0.1:18081/v1 --gateway http://127.0.0.1:18080/v1
                       [--rate 200] [--warmup 5] [--measure 20] [--rounds 2]
                       [--stream-rate 50] [--stream-warmup 3] [--stream-measure 10]
                       [--concurrency 32] [--tput-warmup 2] [--tput-measure 10]
                       [--jit-warmup 3] [--phases latency,stream,throughput] [--timeout 10] [--info TEXT]... [--reproduce CMD]
                durations are seconds per target (split over --rounds interleaved segments); see bench/README.md""");
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            String key = args[i].substring(2);
            String value = args[++i];
            // --info may be repeated: lines are kept in order.
            opts.merge(key, value, (a, b) -> a + "\n" + b);
        }
        return opts;
    }

    static double num(Map<String, String> opts, String key, double dflt) {
        String v = opts.get(key);
        return v == null || v.isBlank() ? dflt : Double.parseDouble(v.trim());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Upstream stub
    // ------------------------------------------------------------------------------------------------------------

    static final class Upstream {
        static final int MAX_CONNECTIONS = 2048;
        static final int MAX_HEADER_BYTES = 64 * 1024;
        static final int MAX_BODY_BYTES = 16 * 1024 * 1024;
        static final Pattern STREAM_TRUE = Pattern.compile("\"stream\"\\s*:\\s*true");

        static final String COMPLETION = """
                {"id":"chatcmpl-bench000000000000000000000001","object":"chat.completion","created":1700000000,\
                "model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0123456789",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"Hello! This is the fixed answer of the \
                LinguaGate benchmark upstream stub. It is padded so that the whole body is about five hundred bytes, \
                a typical short chat answer.","refusal":null},"logprobs":null,"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":12,"completion_tokens":38,"total_tokens":50}}""";
        static final String MODELS = """
                {"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1700000000,"owned_by":"bench"}]}""";
        static final String NOT_FOUND = """
                {"error":{"message":"Unknown path on the benchmark stub.","type":"invalid_request_error","param":null,"code":"not_found"}}""";

        static final byte[] COMPLETION_RESPONSE = response(200, "OK", "application/json", COMPLETION);
        static final byte[] MODELS_RESPONSE = response(200, "OK", "application/json", MODELS);
        static final byte[] NOT_FOUND_RESPONSE = response(404, "Not Found", "application/json", NOT_FOUND);
        static final byte[] TOO_LARGE_RESPONSE = response(413, "Payload Too Large", "application/json", """
                {"error":{"message":"Body larger than the benchmark stub keeps.","type":"invalid_request_error",\
                "param":null,"code":"too_large"}}""");
        static final byte[] SSE_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        static byte[] response(int status, String reason, String type, String body) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: " + type + "\r\nContent-Length: "
                    + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, all, h.length, b.length);
            return all;
        }

        static byte[] chunk(String data) {
            byte[] d = data.getBytes(StandardCharsets.UTF_8);
            byte[] h = (Integer.toHexString(d.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[h.length + d.length + 2];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(d, 0, all, h.length, d.length);
            all[all.length - 2] = '\r';
            all[all.length - 1] = '\n';
            return all;
        }

        static String event(String content, String finish) {
            return "data: {\"id\":\"chatcmpl-bench000000000000000000000001\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":1700000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"" + content + "\"},\"logprobs\":null,\"finish_reason\":"
                    + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
        }

        final int streamEvents;
        final long streamDelayMs;
        final byte[] firstEvent;
        final byte[] nextEvent;
        final byte[] lastEvent;
        final byte[] done;
        final Semaphore connections = new Semaphore(MAX_CONNECTIONS);

        Upstream(int streamEvents, long streamDelayMs) {
            this.streamEvents = streamEvents;
            this.streamDelayMs = streamDelayMs;
            byte[] head = SSE_HEAD;
            byte[] first = chunk(event("Hello", null));
            this.firstEvent = Arrays.copyOf(head, head.length + first.length);
            System.arraycopy(first, 0, firstEvent, head.length, first.length);
            this.nextEvent = chunk(event(" token", null));
            this.lastEvent = chunk(event("!", "stop"));
            byte[] d = chunk("data: [DONE]\n\n");
            this.done = Arrays.copyOf(d, d.length + 5);
            System.arraycopy("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, done, d.length, 5);
        }

        static void run(Map<String, String> opts) throws IOException {
            int port = (int) num(opts, "port", 18081);
            int events = (int) num(opts, "stream-events", 8);
            long delay = (long) num(opts, "stream-delay-ms", 5);
            long maxSeconds = (long) num(opts, "max-seconds", 1800);
            Upstream stub = new Upstream(Math.max(1, events), Math.max(0, delay));
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            // Never outlive a forgotten benchmark.
            Thread.ofPlatform().daemon().name("watchdog").start(() -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(maxSeconds));
                System.out.println("upstream: --max-seconds " + maxSeconds + " reached, exiting");
                System.exit(0);
            });
            System.out.println("upstream stub listening on 127.0.0.1:" + server.getLocalPort() + " (stream: 1+"
                    + stub.streamEvents + " events, " + stub.streamDelayMs + " ms apart)");
            System.out.flush();
            while (true) {
                Socket socket = server.accept();
                if (!stub.connections.tryAcquire()) {
                    socket.close();
                    continue;
                }
                Thread.ofPlatform().daemon().name("conn").start(() -> {
                    try (socket) {
                        stub.serve(socket);
                    } catch (IOException | RuntimeException e) {
                        // Client went away or sent garbage: the connection is simply dropped.
                    } finally {
                        stub.connections.release();
                    }
                });
            }
        }

        void serve(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            Reader in = new Reader(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String requestLine = in.line();
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue;
                }
                String[] parts = requestLine.split(" ");
                if (parts.length < 3) {
                    return;
                }
                String method = parts[0];
                String path = parts[1];
                long contentLength = 0;
                boolean chunked = false;
                boolean close = parts[2].equals("HTTP/1.0");
                int headerBytes = 0;
                String header;
                while ((header = in.line()) != null && !header.isEmpty()) {
                    headerBytes += header.length();
                    if (headerBytes > MAX_HEADER_BYTES) {
                        return;
                    }
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> contentLength = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close");
                        default -> {
                        }
                    }
                }
                if (header == null) {
                    return;
                }
                if (!chunked && contentLength > MAX_BODY_BYTES) {
                    // Too large to hold: read it through (an upload) and say so, as a real API would.
                    if (!in.skip(contentLength)) {
                        return;
                    }
                    out.write(TOO_LARGE_RESPONSE);
                    out.flush();
                    continue;
                }
                byte[] body = chunked ? in.chunkedBody() : in.bytes(contentLength);
                if (body == null) {
                    return;
                }
                int q = path.indexOf('?');
                String bare = q < 0 ? path : path.substring(0, q);
                // (ChatBench's Responses and Anthropic Messages surfaces read only the gateway's headers.)
                if (method.equals("POST") && (bare.equals("/v1/chat/completions") || bare.equals("/v1/responses")
                        || bare.equals("/v1/messages"))) {
                    if (STREAM_TRUE.matcher(new String(body, StandardCharsets.UTF_8)).find()) {
                        stream(out);
                    } else {
                        out.write(COMPLETION_RESPONSE);
                        out.flush();
                    }
                } else if (method.equals("GET") && bare.equals("/v1/models")) {
                    out.write(MODELS_RESPONSE);
                    out.flush();
                } else {
                    out.write(NOT_FOUND_RESPONSE);
                    out.flush();
                }
                if (close) {
                    return;
                }
            }
        }

        void stream(OutputStream out) throws IOException {
            // Head and first event in one write, flushed at once: time-to-first-byte is the network path only.
            out.write(firstEvent);
            out.flush();
            for (int i = 1; i <= streamEvents; i++) {
                if (streamDelayMs > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(streamDelayMs));
                }
                out.write(i == streamEvents ? lastEvent : nextEvent);
                out.flush();
            }
            out.write(done);
            out.flush();
        }
    }

    /** A minimal, lock-free buffered reader for HTTP/1.1 request heads and bodies. */
    static final class Reader {
        final InputStream in;
        final byte[] buf = new byte[16 * 1024];
        int pos;
        int lim;

        Reader(InputStream in) {
            this.in = in;
        }

        boolean fill() throws IOException {
            if (pos < lim) {
                return true;
            }
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            lim = n;
            return true;
        }

        /** One line without CR LF, or null at end of stream. */
        String line() throws IOException {
            StringBuilder sb = null;
            while (true) {
                if (!fill()) {
                    return null;
                }
                for (int i = pos; i < lim; i++) {
                    if (buf[i] == '\n') {
                        int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                        String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                        pos = i + 1;
                        if (sb == null) {
                            return part;
                        }
                        sb.append(part);
                        int len = sb.length();
                        if (len > 0 && sb.charAt(len - 1) == '\r') {
                            sb.setLength(len - 1);
                        }
                        return sb.toString();
                    }
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
                pos = lim;
                if (sb.length() > Upstream.MAX_HEADER_BYTES) {
                    return null;
                }
            }
        }

        byte[] bytes(long n) throws IOException {
            if (n < 0 || n > Upstream.MAX_BODY_BYTES) {
                return null;
            }
            byte[] out = new byte[(int) n];
            int off = 0;
            while (off < n) {
                if (!fill()) {
                    return null;
                }
                int take = Math.min(lim - pos, (int) n - off);
                System.arraycopy(buf, pos, out, off, take);
                pos += take;
                off += take;
            }
            return out;
        }

        /** Reads and drops {@code n} bytes; false when the connection ends first. */
        boolean skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                if (!fill()) {
                    return false;
                }
                int take = (int) Math.min(lim - pos, left);
                pos += take;
                left -= take;
            }
            return true;
        }

        byte[] chunkedBody() throws IOException {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int chunks = 0; chunks < 1_000_000; chunks++) {
                String sizeLine = line();
                if (sizeLine == null) {
                    return null;
                }
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    while ((trailer = line()) != null && !trailer.isEmpty()) {
                        // trailers ignored
                    }
                    return all.toByteArray();
                }
                if (all.size() + size > Upstream.MAX_BODY_BYTES) {
                    return null;
                }
                byte[] data = bytes(size);
                if (data == null || line() == null) {
                    return null;
                }
                all.write(data);
            }
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Load generator
    // ------------------------------------------------------------------------------------------------------------

    static final String CHAT_BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello to the benchmark."}],"temperature":0}""";
    static final String STREAM_BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},\
            {"role":"user","content":"Say hello to the benchmark."}],"temperature":0,"stream":true}""";

    /** Latencies (ns) of one measured segment, and what went wrong. */
    record Sample(long[] nanos, int sent, int errors, String firstError, double seconds) {
    }

    static final class Target {
        final String name;
        final URI chat;
        final HttpClient client;

        Target(String name, String base) {
            this.name = name;
            String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
            this.chat = URI.create(b + "/chat/completions");
            if (!"127.0.0.1".equals(chat.getHost()) && !"localhost".equals(chat.getHost())) {
                throw new IllegalArgumentException("benchmark traffic stays on loopback; got " + chat);
            }
            // One client (own keep-alive pool) per target, HTTP/1.1 only: no h2c upgrade attempts.
            this.client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }

        HttpRequest request(boolean stream, Duration timeout) {
            return HttpRequest.newBuilder(chat)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer sk-bench-not-a-real-key")
                    .POST(HttpRequest.BodyPublishers.ofString(stream ? STREAM_BODY : CHAT_BODY))
                    .build();
        }
    }

    /** Completes with the nanoTime of the first body bytes; checks the stream ended with [DONE]. */
    static final class FirstBytes implements HttpResponse.BodySubscriber<long[]> {
        final CompletableFuture<long[]> result = new CompletableFuture<>();
        final StringBuilder tail = new StringBuilder();
        long first;

        @Override
        public CompletionStage<long[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (b.hasRemaining()) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    tail.append(StandardCharsets.UTF_8.decode(b));
                    if (tail.length() > 256) {
                        tail.delete(0, tail.length() - 64);
                    }
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(new long[] {first, tail.indexOf("data: [DONE]") >= 0 ? 1 : 0});
        }
    }

    static final class Load {
        final Duration timeout;
        final int maxInFlight = 4096;

        Load(Duration timeout) {
            this.timeout = timeout;
        }

        static int run(Map<String, String> opts, String argLine) throws Exception {
            String direct = opts.get("direct");
            String gateway = opts.get("gateway");
            if (direct == null || gateway == null) {
                usage();
                return 2;
            }
            double rate = num(opts, "rate", 200);
            double warmup = num(opts, "warmup", 5);
            double measure = num(opts, "measure", 20);
            int rounds = Math.max(1, (int) num(opts, "rounds", 2));
            double streamRate = num(opts, "stream-rate", 50);
            double streamWarmup = num(opts, "stream-warmup", 3);
            double streamMeasure = num(opts, "stream-measure", 10);
            int concurrency = Math.max(1, (int) num(opts, "concurrency", 32));
            double tputWarmup = num(opts, "tput-warmup", 2);
            double tputMeasure = num(opts, "tput-measure", 10);
            String phases = opts.getOrDefault("phases", "latency,stream,throughput");
            Load load = new Load(Duration.ofSeconds((long) num(opts, "timeout", 10)));

            Target d = new Target("direct", direct);
            Target g = new Target("gateway", gateway);
            Target[] order = {d, g};

            System.out.println("== LinguaGate gateway benchmark ==");
            System.out.println("load generator : " + Runtime.version() + " " + System.getProperty("java.vm.name")
                    + ", " + Runtime.getRuntime().availableProcessors() + " CPUs visible, "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            for (String line : opts.getOrDefault("info", "").split("\n")) {
                if (!line.isBlank()) {
                    System.out.println(line);
                }
            }
            System.out.println("direct         : POST " + d.chat);
            System.out.println("gateway        : POST " + g.chat);
            System.out.printf(Locale.ROOT, "plan           : JIT warm-up %.0fs closed loop per target; latency %.0f req/s (%.0fs warm-up + %.0fs measured per target), "
                    + "stream TTFB %.0f req/s (%.0fs + %.0fs), throughput %d workers (%.0fs + %.0fs); "
                    + "%d interleaved rounds (direct, gateway, direct, gateway, ...)%n",
                    num(opts, "jit-warmup", 3), rate, warmup, measure, streamRate, streamWarmup, streamMeasure, concurrency, tputWarmup,
                    tputMeasure, rounds);
            System.out.println("load average   : " + loadAverage() + " (start)");
            System.out.println();

            // Preflight: both paths answer correctly in both modes, or the numbers mean nothing.
            for (Target t : order) {
                String problem = load.preflight(t);
                if (problem != null) {
                    System.err.println("preflight failed for " + t.name + " (" + t.chat + "): " + problem);
                    return 2;
                }
            }

            // JIT warm-up: a few seconds flat out through both paths, so the open-loop phases measure compiled
            // code (as in a gateway that has been up for a while), not the interpreter.
            double jitWarmup = num(opts, "jit-warmup", 3);
            if (jitWarmup > 0) {
                for (Target t : order) {
                    long[] res = load.closedLoop(t, concurrency, jitWarmup);
                    System.out.printf(Locale.ROOT, "-- JIT warm-up %-7s %.0fs closed loop: %d requests, %d errors%n",
                            t.name, jitWarmup, res[0], res[1]);
                }
            }

            Report report = new Report(rounds);
            if (phases.contains("latency")) {
                System.out.printf(Locale.ROOT, "-- non-streaming latency, open loop at %.0f req/s%n", rate);
                Sample[][] s = load.interleaved(order, false, rate, warmup, measure, rounds);
                report.latency = s;
                report.rate = rate;
            }
            if (phases.contains("stream")) {
                System.out.printf(Locale.ROOT, "-- streaming time-to-first-byte, open loop at %.0f req/s%n", streamRate);
                Sample[][] s = load.interleaved(order, true, streamRate, streamWarmup, streamMeasure, rounds);
                report.stream = s;
                report.streamRate = streamRate;
            }
            if (phases.contains("throughput")) {
                System.out.printf(Locale.ROOT, "-- max throughput, closed loop, %d concurrent workers%n", concurrency);
                double[][] tp = new double[2][rounds];
                int[][] tpErrors = new int[2][rounds];
                for (int i = 0; i < 2; i++) {
                    load.closedLoop(order[i], concurrency, tputWarmup);
                }
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < 2; i++) {
                        long[] res = load.closedLoop(order[i], concurrency, tputMeasure / rounds);
                        tp[i][r] = res[0] / (tputMeasure / rounds);
                        tpErrors[i][r] = (int) res[1];
                        System.out.printf(Locale.ROOT, "   round %d %-7s %9.0f req/s  errors %d%n", r + 1,
                                order[i].name, tp[i][r], tpErrors[i][r]);
                    }
                }
                report.throughput = tp;
                report.throughputErrors = tpErrors;
                report.concurrency = concurrency;
            }
            System.out.println();
            System.out.println("load average   : " + loadAverage() + " (end)");
            System.out.println();
            report.print();
            System.out.println();
            if (opts.containsKey("reproduce")) {
                System.out.println("reproduce      : " + opts.get("reproduce"));
            } else {
                System.out.println("reproduce      : java bench/GatewayBench.java " + argLine.substring(argLine.indexOf(' ') + 1));
            }
            return report.nothingMeasured() ? 3 : 0;
        }

        static String loadAverage() {
            double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f (1 min)", l);
        }

        String preflight(Target t) {
            try {
                HttpResponse<String> r = t.client.send(t.request(false, timeout), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200 || !r.body().contains("chat.completion")) {
                    return "non-streaming answer " + r.statusCode() + ": " + abbreviate(r.body());
                }
                HttpResponse<String> s = t.client.send(t.request(true, timeout), HttpResponse.BodyHandlers.ofString());
                if (s.statusCode() != 200 || !s.body().contains("data: [DONE]")) {
                    return "streaming answer " + s.statusCode() + ": " + abbreviate(s.body());
                }
                return null;
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        static String abbreviate(String s) {
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }

        /** Warm-up per target (discarded), then rounds x (direct segment, gateway segment). [target][round]. */
        Sample[][] interleaved(Target[] order, boolean stream, double rate, double warmup, double measure, int rounds)
                throws InterruptedException {
            for (Target t : order) {
                if (warmup > 0) {
                    Sample w = openLoop(t, stream, rate, warmup);
                    System.out.printf(Locale.ROOT, "   warm-up %-7s %s%n", t.name, w.errors == 0 ? "ok" :
                            w.errors + " errors (" + w.firstError + ")");
                }
            }
            Sample[][] out = new Sample[order.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < order.length; i++) {
                    Sample s = openLoop(order[i], stream, rate, measure / rounds);
                    out[i][r] = s;
                    long[] sorted = s.nanos.clone();
                    Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "   round %d %-7s n=%d  p50 %s  p90 %s  p99 %s  max %s ms  errors %d%s%n",
                            r + 1, order[i].name, sorted.length, ms(pct(sorted, 50)), ms(pct(sorted, 90)),
                            ms(pct(sorted, 99)), ms(pct(sorted, 100)), s.errors,
                            s.firstError == null ? "" : " (" + s.firstError + ")");
                }
            }
            return out;
        }

        /**
         * Open loop: request i is due at start + i/rate; its latency runs from that intended time (not from when it
         * was actually sent), so a stalled sender or server shows up as latency instead of as fewer requests.
         * Non-streaming: until the whole body is read. Streaming: until the first body bytes (first SSE event).
         */
        Sample openLoop(Target t, boolean stream, double rate, double seconds) throws InterruptedException {
            int n = Math.max(1, (int) Math.round(rate * seconds));
            long interval = (long) (1e9 / rate);
            long[] lat = new long[n];
            Arrays.fill(lat, -1);
            AtomicInteger errors = new AtomicInteger();
            AtomicLong firstErrorSet = new AtomicLong();
            String[] firstError = new String[1];
            Semaphore inFlight = new Semaphore(maxInFlight);
            CountDownLatch done = new CountDownLatch(n);
            HttpRequest request = t.request(stream, timeout);
            long start = System.nanoTime() + 2_000_000;
            for (int i = 0; i < n; i++) {
                final long intended = start + i * interval;
                final int idx = i;
                long now;
                while ((now = System.nanoTime()) < intended) {
                    LockSupport.parkNanos(intended - now);
                }
                if (!inFlight.tryAcquire()) {
                    errors.incrementAndGet();
                    done.countDown();
                    continue;
                }
                if (stream) {
                    t.client.sendAsync(request, info -> new FirstBytes()).whenComplete((resp, err) -> {
                        String problem = err != null ? err.toString()
                                : resp.statusCode() != 200 ? "HTTP " + resp.statusCode()
                                : resp.body()[0] == 0 ? "empty stream"
                                : resp.body()[1] == 0 ? "stream without data: [DONE]" : null;
                        if (problem == null) {
                            lat[idx] = resp.body()[0] - intended;
                        } else {
                            fail(errors, firstErrorSet, firstError, problem);
                        }
                        inFlight.release();
                        done.countDown();
                    });
                } else {
                    t.client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((resp, err) -> {
                        long end = System.nanoTime();
                        String problem = err != null ? err.toString()
                                : resp.statusCode() != 200 ? "HTTP " + resp.statusCode()
                                : resp.body().length < 100 ? "short body" : null;
                        if (problem == null) {
                            lat[idx] = end - intended;
                        } else {
                            fail(errors, firstErrorSet, firstError, problem);
                        }
                        inFlight.release();
                        done.countDown();
                    });
                }
            }
            double actual = (System.nanoTime() - start) / 1e9;
            if (!done.await(timeout.toSeconds() + 5, TimeUnit.SECONDS)) {
                fail(errors, firstErrorSet, firstError, "requests still open after the timeout");
            }
            long[] ok = Arrays.stream(lat).filter(v -> v >= 0).toArray();
            return new Sample(ok, n, n - ok.length, firstError[0], actual);
        }

        static void fail(AtomicInteger errors, AtomicLong firstSet, String[] first, String problem) {
            errors.incrementAndGet();
            if (firstSet.compareAndSet(0, 1)) {
                first[0] = problem.length() > 160 ? problem.substring(0, 160) : problem;
            }
        }

        /** Closed loop: {@code workers} threads send back to back for {@code seconds}; returns {ok, errors}. */
        long[] closedLoop(Target t, int workers, double seconds) throws InterruptedException {
            AtomicLong ok = new AtomicLong();
            AtomicInteger errors = new AtomicInteger();
            AtomicLong firstErrorSet = new AtomicLong();
            String[] firstError = new String[1];
            HttpRequest request = t.request(false, timeout);
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                threads.add(Thread.ofPlatform().daemon().name("worker-" + w).start(() -> {
                    for (long i = 0; i < 10_000_000L && System.nanoTime() < deadline; i++) {
                        try {
                            HttpResponse<byte[]> r = t.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (System.nanoTime() > deadline) {
                                break; // finished after the window: not counted
                            }
                            if (r.statusCode() == 200 && r.body().length >= 100) {
                                ok.incrementAndGet();
                            } else {
                                fail(errors, firstErrorSet, firstError, "HTTP " + r.statusCode());
                            }
                        } catch (IOException e) {
                            fail(errors, firstErrorSet, firstError, e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread th : threads) {
                th.join(TimeUnit.SECONDS.toMillis((long) seconds + timeout.toSeconds() + 5));
            }
            if (firstError[0] != null) {
                System.out.println("   (" + t.name + " closed loop, first error: " + firstError[0] + ")");
            }
            return new long[] {ok.get(), errors.get()};
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Report
    // ------------------------------------------------------------------------------------------------------------

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static final class Report {
        static final double ADDED_P50_MS = 1.0;
        static final double ADDED_P99_MS = 5.0;
        static final double ADDED_TTFB_MS = 1.0;

        final int rounds;
        Sample[][] latency;
        double rate;
        Sample[][] stream;
        double streamRate;
        double[][] throughput;
        int[][] throughputErrors;
        int concurrency;
        int fails;
        final List<String> rows = new ArrayList<>();

        Report(int rounds) {
            this.rounds = rounds;
        }

        static long[] merged(Sample[] segments) {
            long[] all = Arrays.stream(segments).flatMapToLong(s -> Arrays.stream(s.nanos)).toArray();
            Arrays.sort(all);
            return all;
        }

        boolean nothingMeasured() {
            for (Sample[][] phase : new Sample[][][] {latency, stream}) {
                if (phase != null) {
                    for (Sample[] target : phase) {
                        if (merged(target).length == 0) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        void row(String metric, String direct, String gateway, String added, String ratio, String target, String result) {
            rows.add(String.format(Locale.ROOT, "%-34s %10s %10s %10s %8s  %-16s %s", metric, direct, gateway, added,
                    ratio, target, result));
        }

        void latencyRow(String metric, long d, long g, double limitMs) {
            double added = (g - d) / 1e6;
            String verdict = "";
            String target = "";
            if (limitMs > 0) {
                target = "added <= " + (limitMs == Math.rint(limitMs) ? String.valueOf((long) limitMs) : limitMs) + " ms";
                boolean pass = d >= 0 && g >= 0 && added <= limitMs;
                verdict = pass ? "PASS" : "FAIL";
                if (!pass) {
                    fails++;
                }
            }
            row(metric, ms(d), ms(g), String.format(Locale.ROOT, "%+.3f", added),
                    d > 0 ? String.format(Locale.ROOT, "%.2fx", (double) g / d) : "n/a", target, verdict);
        }

        void print() {
            row("metric (ms unless stated)", "direct", "gateway", "added", "ratio", "target", "result");
            rows.add("-".repeat(104));
            if (latency != null) {
                long[] d = merged(latency[0]);
                long[] g = merged(latency[1]);
                String at = String.format(Locale.ROOT, " @%.0f/s", rate);
                latencyRow("non-stream p50" + at, pct(d, 50), pct(g, 50), ADDED_P50_MS);
                latencyRow("non-stream p90" + at, pct(d, 90), pct(g, 90), 0);
                latencyRow("non-stream p99" + at, pct(d, 99), pct(g, 99), ADDED_P99_MS);
                latencyRow("non-stream max" + at, pct(d, 100), pct(g, 100), 0);
                int de = Arrays.stream(latency[0]).mapToInt(Sample::errors).sum();
                int ge = Arrays.stream(latency[1]).mapToInt(Sample::errors).sum();
                int dn = Arrays.stream(latency[0]).mapToInt(Sample::sent).sum();
                int gn = Arrays.stream(latency[1]).mapToInt(Sample::sent).sum();
                String errVerdict = ge == 0 ? "PASS" : "FAIL";
                if (ge != 0) {
                    fails++;
                }
                row("non-stream errors / requests", de + "/" + dn, ge + "/" + gn, "", "", "0 errors", errVerdict);
                row("non-stream sent rate (req/s)", sentRate(latency[0]), sentRate(latency[1]), "", "", "", "");
            }
            if (stream != null) {
                long[] d = merged(stream[0]);
                long[] g = merged(stream[1]);
                String at = String.format(Locale.ROOT, " @%.0f/s", streamRate);
                latencyRow("stream TTFB p50" + at, pct(d, 50), pct(g, 50), ADDED_TTFB_MS);
                latencyRow("stream TTFB p90" + at, pct(d, 90), pct(g, 90), 0);
                latencyRow("stream TTFB p99" + at, pct(d, 99), pct(g, 99), 0);
                int de = Arrays.stream(stream[0]).mapToInt(Sample::errors).sum();
                int ge = Arrays.stream(stream[1]).mapToInt(Sample::errors).sum();
                int dn = Arrays.stream(stream[0]).mapToInt(Sample::sent).sum();
                int gn = Arrays.stream(stream[1]).mapToInt(Sample::sent).sum();
                String errVerdict = ge == 0 ? "PASS" : "FAIL";
                if (ge != 0) {
                    fails++;
                }
                row("stream errors / requests", de + "/" + dn, ge + "/" + gn, "", "", "0 errors", errVerdict);
            }
            if (throughput != null) {
                double d = Arrays.stream(throughput[0]).average().orElse(0);
                double g = Arrays.stream(throughput[1]).average().orElse(0);
                int de = Arrays.stream(throughputErrors[0]).sum();
                int ge = Arrays.stream(throughputErrors[1]).sum();
                row("max throughput (req/s, " + concurrency + " conc.)", String.format(Locale.ROOT, "%.0f", d),
                        String.format(Locale.ROOT, "%.0f", g), String.format(Locale.ROOT, "%+.0f", g - d),
                        d > 0 ? String.format(Locale.ROOT, "%.2fx", g / d) : "n/a", "(informational)", "");
                row("throughput errors", String.valueOf(de), String.valueOf(ge), "", "", "", "");
            }
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println(fails == 0 ? "RESULT: all targets met" : "RESULT: " + fails + " target(s) missed");
            System.out.println("(added = gateway - direct from the same run; percentiles over all measured rounds; "
                    + "latency from intended send time, open loop)");
        }

        static String sentRate(Sample[] segments) {
            double n = Arrays.stream(segments).mapToInt(Sample::sent).sum();
            double s = Arrays.stream(segments).mapToDouble(Sample::seconds).sum();
            return String.format(Locale.ROOT, "%.1f", n / s);
        }
    }
}
