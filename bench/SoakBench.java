import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LinguaGate soak and slow-client checks, JDK classes only (bench/soak.sh compiles and runs it). Two modes:
 *
 * <ul>
 * <li>{@code soak --gateway URL --pid P --minutes M}: mixed traffic (compressed chat with repeated and fresh system
 * prompts, streams, {@code /v1/compress}, passthrough, invalid bodies) from a few workers; prints answers by class,
 * p50/p99 in the first and the last minute, and heap-after-GC / RSS / open-file samples of the gateway every 30 s.
 * Exits 1 on any 5xx or transport error, or when heap after GC grew more than 10% from minute 2 to the end (both
 * taken with no request in flight).</li>
 * <li>{@code slow-clients --gateway URL --pid P --connections N --declare BYTES}: N connections each declare a body of
 * BYTES (half chat, half a streamed upload) and trickle a byte every 500 ms; prints the gateway's heap after GC
 * before and while they are open, and how each connection ended. Exits 1 when the heap rose by 64 MiB or more, or
 * any connection did not end with 408/413 within the body timeout plus 5 s.</li>
 * </ul>
 */
public class SoakBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int rc = switch (args.length == 0 ? "" : args[0]) {
            case "soak" -> soak(opts);
            case "slow-clients" -> slowClients(opts);
            default -> {
                System.err.println("usage: SoakBench soak|slow-clients --gateway URL --pid PID [options]");
                yield 2;
            }
        };
        System.exit(rc);
    }

    // ---------------------------------------------------------------- soak

    static int soak(Map<String, String> opts) throws Exception {
        URI gateway = URI.create(opts.get("gateway"));
        long pid = Long.parseLong(opts.get("pid"));
        double minutes = Double.parseDouble(opts.getOrDefault("minutes", "10"));
        int workers = Integer.parseInt(opts.getOrDefault("workers", "4"));
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, AtomicLong> classes = new ConcurrentHashMap<>();
        List<long[]> samples = new CopyOnWriteArrayList<>(); // {elapsed ms, latency µs}
        List<String> memory = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        AtomicBoolean paused = new AtomicBoolean();
        AtomicInteger busy = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int seed = w;
            running.add(pool.submit(() -> {
                Random random = new Random(seed);
                while (System.nanoTime() < end) {
                    busy.incrementAndGet();
                    if (paused.get()) {
                        busy.decrementAndGet();
                        Thread.sleep(20);
                        continue;
                    }
                    String kind = pickKind(random);
                    long t0 = System.nanoTime();
                    String outcome;
                    try {
                        HttpResponse<byte[]> response = http.send(request(gateway, kind, random),
                                HttpResponse.BodyHandlers.ofByteArray());
                        outcome = kind + " " + response.statusCode();
                    } catch (IOException e) {
                        outcome = kind + " transport-error " + e.getClass().getSimpleName();
                    } catch (InterruptedException e) {
                        return null;
                    }
                    busy.decrementAndGet();
                    long t1 = System.nanoTime();
                    classes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
                    samples.add(new long[] {(t1 - start) / 1_000_000, (t1 - t0) / 1_000});
                }
                return null;
            }));
        }
        long nextSample = start;
        long quietAtTwo = -1;
        while (System.nanoTime() < end) {
            long elapsed = (System.nanoTime() - start) / 1_000_000_000;
            if (quietAtTwo < 0 && elapsed >= 120) {
                // A quiet snapshot: no request in flight, so the heap after GC is what the gateway retains.
                paused.set(true);
                while (busy.get() > 0) {
                    Thread.sleep(5);
                }
                quietAtTwo = heapAfterGc(pid);
                paused.set(false);
                memory.add(String.format("  %4d s  heap after GC %7.1f MiB  (quiet: traffic paused)", elapsed,
                        quietAtTwo / 1048576.0));
                System.out.println(memory.get(memory.size() - 1));
            }
            if (System.nanoTime() >= nextSample) {
                long heap = heapAfterGc(pid);
                memory.add(String.format("  %4d s  heap after GC %7.1f MiB  RSS %7.1f MiB  open files %d", elapsed,
                        heap / 1048576.0, rss(pid) / 1048576.0, openFiles(pid)));
                System.out.println(memory.get(memory.size() - 1));
                nextSample += 30_000_000_000L;
            }
            Thread.sleep(200);
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        long finalHeap = heapAfterGc(pid);
        long totalSeconds = (System.nanoTime() - start) / 1_000_000_000;
        memory.add(String.format("  %4d s  heap after GC %7.1f MiB  RSS %7.1f MiB  open files %d (end)", totalSeconds,
                finalHeap / 1048576.0, rss(pid) / 1048576.0, openFiles(pid)));

        System.out.println();
        System.out.println("answers by class (route, status):");
        new TreeMap<>(classes).forEach((k, v) -> System.out.printf("  %-40s %8d%n", k, v.get()));
        long lastMinuteFrom = (long) (minutes * 60_000) - 60_000;
        System.out.printf("latency first minute: p50 %.1f ms, p99 %.1f ms%n", pct(samples, 0, 60_000, 50),
                pct(samples, 0, 60_000, 99));
        System.out.printf("latency last minute:  p50 %.1f ms, p99 %.1f ms%n", pct(samples, lastMinuteFrom,
                Long.MAX_VALUE, 50), pct(samples, lastMinuteFrom, Long.MAX_VALUE, 99));
        System.out.println("gateway memory samples:");
        memory.forEach(System.out::println);

        long fiveXx = classes.entrySet().stream().filter(e -> e.getKey().matches(".* 5\\d\\d")
                || e.getKey().contains("transport-error")).mapToLong(e -> e.getValue().get()).sum();
        // Quiet snapshots (no request in flight) at minute 2, when the caches have filled, and after the traffic:
        // samples taken under load also hold the buffers of the requests in flight, which hides a leak in noise.
        long atTwo = quietAtTwo > 0 ? quietAtTwo : finalHeap;
        double growth = 100.0 * (finalHeap - atTwo) / Math.max(1, atTwo);
        System.out.printf("heap after GC, quiet: minute 2 %.1f MiB, end %.1f MiB (%+.1f%%)%n", atTwo / 1048576.0,
                finalHeap / 1048576.0, growth);
        boolean ok = fiveXx == 0 && growth <= 10;
        System.out.println("RESULT: " + (ok ? "PASS" : "FAIL") + " (5xx or transport errors: " + fiveXx
                + ", heap growth " + String.format("%+.1f%%", growth) + ", limit +10%)");
        return ok ? 0 : 1;
    }

    private static final String[] KINDS = {"chat-repeat", "chat-repeat", "chat-repeat", "chat-fresh", "chat-stream",
            "compress", "models", "invalid"};

    private static String pickKind(Random random) {
        return KINDS[random.nextInt(KINDS.length)];
    }

    private static final String SENTENCE = "We will ship the release notes on Monday, after the review of the "
            + "figures for 2024-01-05 (revenue $4.2M, -3.5%). ";

    private static HttpRequest request(URI gateway, String kind, Random random) {
        HttpRequest.Builder b = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json");
        // A bounded set of prompts: the segment cache fills in the first minutes and then stays put, so memory
        // growth after that means a leak, not a cache warming up.
        String system = (SENTENCE + "Variant " + random.nextInt(kind.equals("chat-fresh") ? 300 : 20) + ". ")
                .repeat(12);
        String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"" + system
                + "\"},{\"role\":\"user\",\"content\":\"What ships on Monday?\"}]";
        return switch (kind) {
            case "chat-stream" -> b.uri(gateway.resolve("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(chat + ",\"stream\":true}")).build();
            case "compress" -> b.uri(gateway.resolve("/v1/compress"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + system + "\",\"rate\":0.5}")).build();
            case "models" -> b.uri(gateway.resolve("/v1/models")).GET().build();
            case "invalid" -> b.uri(gateway.resolve("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[],\"messages\":1}")).build();
            default -> b.uri(gateway.resolve("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(chat + "}")).build();
        };
    }

    private static double pct(List<long[]> samples, long fromMs, long toMs, int p) {
        long[] values = samples.stream().filter(s -> s[0] >= fromMs && s[0] < toMs).mapToLong(s -> s[1]).sorted()
                .toArray();
        if (values.length == 0) {
            return Double.NaN;
        }
        return values[Math.min(values.length - 1, (int) Math.ceil(p / 100.0 * values.length) - 1)] / 1000.0;
    }

    // ---------------------------------------------------------------- slow clients

    static int slowClients(Map<String, String> opts) throws Exception {
        URI gateway = URI.create(opts.get("gateway"));
        long pid = Long.parseLong(opts.get("pid"));
        int connections = Integer.parseInt(opts.getOrDefault("connections", "200"));
        long declare = Long.parseLong(opts.getOrDefault("declare", "33554432"));
        long bodyTimeoutMs = Long.parseLong(opts.getOrDefault("body-timeout-ms", "30000"));
        long before = heapAfterGc(pid);
        System.out.printf("gateway heap after GC before: %.1f MiB%n", before / 1048576.0);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<String>> ends = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            String path = i % 2 == 0 ? "/v1/chat/completions" : "/v1/files";
            ends.add(pool.submit(() -> trickle(gateway, path, declare, bodyTimeoutMs + 5_000)));
        }
        Thread.sleep(Math.min(bodyTimeoutMs / 2, 15_000));
        long during = heapAfterGc(pid);
        System.out.printf("gateway heap after GC with %d connections open, each declaring %d bytes: %.1f MiB "
                + "(%+.1f MiB)%n", connections, declare, during / 1048576.0, (during - before) / 1048576.0);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Future<String> end : ends) {
            outcomes.merge(end.get(), 1, Integer::sum);
        }
        pool.shutdown();
        System.out.printf("all connections ended after %.1f s: %s%n", (System.nanoTime() - start) / 1e9, outcomes);
        boolean ok = during - before < 64L * 1048576 && outcomes.keySet().stream()
                .allMatch(o -> o.startsWith("408") || o.startsWith("413"));
        System.out.println("RESULT: " + (ok ? "PASS" : "FAIL") + " (heap rise < 64 MiB, every connection 408/413 "
                + "within the body timeout + 5 s)");
        return ok ? 0 : 1;
    }

    /** Declares {@code declare} bytes, sends one every 500 ms, and returns how the gateway ended the exchange. */
    private static String trickle(URI gateway, String path, long declare, long deadlineMs) {
        long start = System.nanoTime();
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nhost: " + gateway.getHost() + "\r\ncontent-type: "
                    + "application/json\r\ncontent-length: " + declare + "\r\n\r\n{").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while ((System.nanoTime() - start) / 1_000_000 < deadlineMs) {
                try {
                    int b = in.read();
                    if (b < 0) {
                        return "closed without an answer";
                    }
                    head.write(b);
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    if (text.length() >= 12 && text.startsWith("HTTP/1.1 ")) {
                        return text.substring(9, 12) + " within " + (deadlineMs / 1000 - 5) + " s";
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    try {
                        out.write(' ');
                        out.flush();
                    } catch (IOException closed) {
                        // the gateway closed its side; its answer may still be readable
                    }
                }
            }
            return "no answer within " + deadlineMs / 1000 + " s";
        } catch (IOException e) {
            return "transport error " + e.getClass().getSimpleName();
        }
    }

    // ---------------------------------------------------------------- process sampling

    /** Heap used after a full GC of the gateway process, via jcmd (GC.run, then GC.heap_info). */
    static long heapAfterGc(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        // "garbage-first heap   total 524288K, used 41234K [..."
        var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    static long openFiles(long pid) throws IOException {
        try (var files = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return files.count();
        }
    }

    private static String run(String... command) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", command[0]).toString();
        List<String> full = new ArrayList<>(Arrays.asList(command));
        full.set(0, jcmd);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
