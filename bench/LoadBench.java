import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LinguaGate load benchmark (bench/load-bench.sh starts everything): distinct chat requests, each with a fresh
 * long system prompt (so every one needs the model), sent by C clients at once through the gateway, against the
 * same requests sent to the upstream stub directly in the same run. Per (prompt size, concurrency) it prints the
 * compression status mix, the latency the gateway added (p50/p99 over the direct ones), the gateway's CPU use after
 * the last answer (abandoned or compress-behind work), and throughput: the original tokens of the requests the model
 * compressed (applied, not cache hits) per second.
 *
 * <p>Usage: {@code LoadBench --gateway URL --direct URL --pid PID --label NAME [--requests N] [--runs T:C,T:C...]
 * [--seed S] [--warmup N]}; a run {@code 2000:4} is 2,000-token prompts (≈ 5.9 chars per o200k token of this
 * prose) at concurrency 4, each request its own prompt; {@code 2000:1:repeat} sends one prompt N times (tokens
 * printed as {@code 2000r}).
 */
public final class LoadBench {

    static final double CHARS_PER_TOKEN = 5.9;
    static final long TICK_NANOS = 1_000_000_000L / 100; // USER_HZ: /proc/PID/stat counts 1/100 s

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = ChatBench.options(args);
        String gateway = opts.get("gateway");
        String direct = opts.get("direct");
        long pid = Long.parseLong(opts.getOrDefault("pid", "0"));
        String label = opts.getOrDefault("label", "model");
        int requests = ChatBench.num(opts, "requests", 20);
        int warmup = ChatBench.num(opts, "warmup", 3);
        long seed = ChatBench.num(opts, "seed", 42);
        String runs = opts.getOrDefault("runs", "1000:1,2000:1,2000:4,2000:8,2000:1:repeat");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long nextSeed = seed * 1_000_003L;
        // Warm-up (JIT, the gateway's learned model speed): fresh prompts, one at a time, not counted.
        for (int i = 0; i < warmup; i++) {
            send(http, gateway, ChatBench.Prose.of(nextSeed++, 5_900));
        }
        waitIdle(pid, 30_000);
        System.out.printf(Locale.ROOT, "%-10s %6s %4s %8s %12s %13s %6s %5s %10s %10s %14s %12s %14s%n",
                "model", "tokens", "conc", "applied", "failed-open", "skipped:busy", "other", "hits", "p50 added",
                "p99 added", "CPU after last", "idle after", "tokens/s");
        for (String run : runs.split(",")) {
            String[] tc = run.split(":");
            int tokens = Integer.parseInt(tc[0].trim());
            int concurrency = Integer.parseInt(tc[1].trim());
            int chars = (int) Math.round(tokens * CHARS_PER_TOKEN);
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                prompts.add(ChatBench.Prose.of(nextSeed++, chars));
            }
            List<Result> baseline = phase(http, direct, prompts, concurrency);
            // T:C:repeat — one prompt for all N requests (a known system prompt: the first goes uncompressed,
            // compress-behind fills the cache, the rest hit it); otherwise a fresh prompt per request.
            boolean repeat = tc.length > 2 && tc[2].trim().equals("repeat");
            List<String> fresh = new ArrayList<>();
            String shared = ChatBench.Prose.of(nextSeed++, chars);
            for (int i = 0; i < requests; i++) {
                fresh.add(repeat ? shared : ChatBench.Prose.of(nextSeed++, chars));
            }
            long cpuStart = cpuTicks(pid);
            long started = System.nanoTime();
            List<Result> through = phase(http, gateway, fresh, concurrency);
            long lastAnswer = System.nanoTime();
            long cpuAtLast = cpuTicks(pid);
            Idle idle = waitIdle(pid, 60_000);
            Map<String, Integer> mix = new TreeMap<>();
            long compressedTokens = 0;
            int hits = 0;
            for (Result r : through) {
                if (r.code != 200) {
                    throw new IllegalStateException("HTTP " + r.code + " from the gateway");
                }
                hits += r.cache.equals("hit") ? 1 : 0;
                String kind = r.status.startsWith("applied") ? "applied" : r.status.startsWith("failed-open")
                        ? "failed-open" : r.status.startsWith("skipped:busy") ? "skipped:busy" : "other";
                mix.merge(kind, 1, Integer::sum);
                if (kind.equals("applied") && !r.cache.equals("hit")) { // what the model compressed
                    compressedTokens += r.originalTokens;
                }
            }
            double seconds = (lastAnswer - started) / 1e9;
            System.out.printf(Locale.ROOT,
                    "%-10s %6s %4d %8d %12d %13d %6d %5d %8.0f ms %8.0f ms %11.1f s %10s %14.0f%n",
                    label, tokens + (repeat ? "r" : ""), concurrency, mix.getOrDefault("applied", 0),
                    mix.getOrDefault("failed-open", 0), mix.getOrDefault("skipped:busy", 0),
                    mix.getOrDefault("other", 0), hits,
                    percentile(through, 50) - percentile(baseline, 50),
                    percentile(through, 99) - percentile(baseline, 99),
                    (idle.ticks - cpuAtLast) * TICK_NANOS / 1e9,
                    idle.afterNanos < 0 ? "> 60 s" : String.format(Locale.ROOT, "%.1f s", idle.afterNanos / 1e9),
                    compressedTokens / seconds);
            if (opts.containsKey("verbose")) {
                List<String> statuses = through.stream().map(r -> r.status + " " + r.millis() + "ms").toList();
                System.out.println("  " + statuses + " (CPU during the run " + (cpuAtLast - cpuStart) / 100.0
                        + " s)");
            }
        }
    }

    record Result(int code, String status, String cache, long originalTokens, long nanos) {
        long millis() {
            return nanos / 1_000_000;
        }
    }

    record Idle(long ticks, long afterNanos) {
    }

    static List<Result> phase(HttpClient http, String base, List<String> prompts, int concurrency)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<Result> results = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < prompts.size(); i = next.getAndIncrement()) {
                    results.add(send(http, base, prompts.get(i)));
                }
                return null;
            }));
        }
        for (Future<?> f : clients) {
            f.get();
        }
        pool.shutdown();
        return results;
    }

    static Result send(HttpClient http, String base, String prompt) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .timeout(Duration.ofSeconds(120))
                .header("content-type", "application/json").header("authorization", "Bearer sk-bench")
                .POST(HttpRequest.BodyPublishers.ofString(ChatBench.body("chat", "gpt-4o-mini", prompt))).build();
        long t0 = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - t0;
        String status = response.headers().firstValue("x-compression-status").orElse("");
        long original = response.headers().firstValue("x-compression-original-tokens").map(Long::parseLong)
                .orElse(0L);
        String cache = response.headers().firstValue("x-compression-cache").orElse("");
        return new Result(response.statusCode(), status, cache, original, nanos);
    }

    static double percentile(List<Result> results, int p) {
        List<Long> sorted = results.stream().map(Result::nanos).sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** The gateway's CPU time so far, in 1/100 s (utime + stime of /proc/PID/stat). */
    static long cpuTicks(long pid) throws Exception {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
    }

    /**
     * Waits until the gateway has used under 10 % of one core over 3 windows of 200 ms in a row; returns its CPU
     * ticks then and how long after the call that took (the idle windows not counted), or -1 past {@code limit}.
     */
    static Idle waitIdle(long pid, long limitMillis) throws Exception {
        long start = System.nanoTime();
        int quiet = 0;
        long before = cpuTicks(pid);
        long quietSince = start;
        while (System.nanoTime() - start < limitMillis * 1_000_000L) {
            Thread.sleep(200);
            long now = cpuTicks(pid);
            if (now - before <= 2) { // ≤ 20 ms of CPU in 200 ms
                if (quiet++ == 0) {
                    quietSince = System.nanoTime() - 200_000_000L;
                }
                if (quiet == 3) {
                    return new Idle(now, Math.max(0, quietSince - start));
                }
            } else {
                quiet = 0;
            }
            before = now;
        }
        return new Idle(cpuTicks(pid), -1);
    }
}
