package io.linguagate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.linguagate.model.convert.CheckpointConfig.Family;
import io.linguagate.model.convert.RandomCheckpoint;
import io.linguagate.model.convert.SafetensorsFile.Dtype;
import io.linguagate.model.convert.SafetensorsWriter;
import io.linguagate.model.hub.FakeHub;
import io.linguagate.testmodel.TinyTokenizerJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Cold-start benchmark of the packaged gateway ({@code bench/cold-start.sh}, see bench/README.md): how long
 * {@code java -jar quarkus-run.jar} takes from process start until {@code /q/health/ready} answers 200, and the
 * process' peak RSS, for
 *
 * <ol>
 *   <li><b>first start</b>: empty model cache, a local {@link FakeHub} serving a random-weight checkpoint
 *       (config.json, tokenizer.json, model.safetensors through the CDN redirect): fetch + convert + load;
 *   <li><b>cached start</b>, N times: the same cache with the hub stopped (connections refused): load only;
 *   <li><b>no model</b>, N times: {@code LINGUAGATE_MODEL_ID=none}, the baseline; interleaved with the cached starts.
 * </ol>
 *
 * <p>Durations of the fetch, the conversion and the load come from the gateway's own log lines. Peak RSS is
 * {@code VmHWM} of {@code /proc/PID/status}, read right after the first 200 (it includes the conversion's peak on the
 * first start). The cache lives under {@code --work} and is deleted at the end (unless {@code --keep}).
 *
 * <p>Usage: {@code ColdStartBench tiny|bert-base --jar quarkus-run.jar --work DIR [--runs N] [--java PATH]
 * [--gateway-opts "-Xmx2g"] [--timeout SECONDS] [--keep]}.
 */
public final class ColdStartBench {

    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final Pattern LOG_LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) +(\\w+) +\\[([^\\]]+)\\] \\(([^)]*)\\) (.*)$");
    private static final Pattern CONVERTED = Pattern.compile("^Converted in (\\d+) ms");
    private static final Pattern LOADED = Pattern.compile("loaded and warmed up in (\\d+) ms");
    private static final Pattern STARTED = Pattern.compile(" started in (\\d+(?:\\.\\d+)?)s\\.");
    private static final long POLL_MILLIS = 20;

    private enum Phase {
        FIRST("first start: empty cache, hub up"),
        CACHED("cached start: hub stopped"),
        NONE("no model (LINGUAGATE_MODEL_ID=none)");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private record Options(String size, int runs, Path jar, Path java, Path work, List<String> gatewayOpts,
            long timeoutSeconds, boolean keep) {

        static Options parse(String[] args) {
            String size = null;
            int runs = 3;
            Path jar = null;
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path work = null;
            List<String> opts = List.of("-Xmx2g");
            long timeout = 900;
            boolean keep = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "tiny", "bert-base" -> size = a;
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--jar" -> jar = Path.of(args[++i]);
                    case "--java" -> java = Path.of(args[++i]);
                    case "--work" -> work = Path.of(args[++i]);
                    case "--gateway-opts" -> opts = Arrays.stream(args[++i].trim().split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList();
                    case "--timeout" -> timeout = Long.parseLong(args[++i]);
                    case "--keep" -> keep = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + a);
                }
            }
            if (size == null || jar == null || work == null || runs < 1) {
                throw new IllegalArgumentException("usage: ColdStartBench tiny|bert-base --jar JAR --work DIR "
                        + "[--runs N] [--java PATH] [--gateway-opts \"...\"] [--timeout S] [--keep]");
            }
            return new Options(size, runs, jar.toAbsolutePath(), java, work.toAbsolutePath(), opts, timeout, keep);
        }
    }

    /** What the gateway's log says about one start. */
    private record LogFacts(OptionalLong bootMs, OptionalLong fetchMs, OptionalLong convertMs,
            OptionalLong converterMs, OptionalLong loadMs, OptionalLong modelMs, OptionalLong quarkusStartedMs,
            String download, boolean fetched, boolean converted,
            boolean cacheHit, boolean loaded, boolean noModel, List<String> warnings) {
    }

    /** One measured start. */
    private record Start(Phase phase, int run, long readyMs, long hwmKb, long rssKb, long anonKb, long fileKb,
            LogFacts log, Path logFile) {
    }

    private final Options options;
    private final Path cacheDir;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private volatile Process current;
    private boolean cleaned;

    private ColdStartBench(Options options) {
        this.options = options;
        this.cacheDir = options.work().resolve("cache");
        this.logDir = options.work().resolve("logs");
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ColdStartBench bench = new ColdStartBench(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanup, "cold-start-cleanup"));
        try {
            bench.run();
        } catch (Exception | Error e) {
            System.err.println("cold-start: FAILED: " + e);
            bench.cleanup();
            System.exit(1);
        }
        bench.cleanup();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void run() throws Exception {
        Files.createDirectories(options.work());
        deleteTree(cacheDir);
        deleteTree(logDir);
        deleteTree(options.work().resolve("checkpoint"));
        Files.createDirectories(logDir);
        String modelId = "bench-org/coldstart-" + options.size();

        // The checkpoint: written to disk by the generators, then held in memory by the fake hub.
        Path checkpoint = options.work().resolve("checkpoint");
        long t0 = System.nanoTime();
        String tokenizer = TinyTokenizerJson.bertWordPiece(TinyTokenizerJson.DEFAULT_BERT_WORDS, true);
        if (options.size().equals("tiny")) {
            RandomCheckpoint.sized(Family.BERT, TinyTokenizerJson.idCount(tokenizer), 512, 7).writeTo(checkpoint);
        } else {
            writeBertBase(checkpoint);
        }
        byte[] config = Files.readAllBytes(checkpoint.resolve("config.json"));
        byte[] weights = Files.readAllBytes(checkpoint.resolve("model.safetensors"));
        deleteTree(checkpoint);
        System.out.printf(Locale.ROOT, "checkpoint      : %s, random weights, model.safetensors %s MB (fp32), "
                + "generated in %.1f s; tokenizer.json: the tests' tiny BERT WordPiece (%d ids)%n",
                options.size().equals("tiny") ? "tiny BERT (RandomCheckpoint: 2 layers, hidden 32)"
                        : "BERT-base (12 layers, hidden 768, 12 heads, intermediate 3072, vocab 119,647)",
                mb(weights.length), (System.nanoTime() - t0) / 1e9, TinyTokenizerJson.idCount(tokenizer));
        long shaStart = System.nanoTime();
        MessageDigest.getInstance("SHA-256").digest(weights);
        long shaMs = (System.nanoTime() - shaStart) / 1_000_000;
        System.out.printf(Locale.ROOT, "fake hub        : %s on 127.0.0.1 (FakeHub, test classpath); it hashes the "
                + "weights (SHA-256, %d ms here) twice per download, on the same cores: part of the fetch time%n",
                modelId, shaMs);
        System.out.printf(Locale.ROOT, "gateway         : %s %s -jar %s, %d cached + %d no-model starts after the "
                + "first%n%n", options.java(), String.join(" ", options.gatewayOpts()), options.jar(), options.runs(),
                options.runs());

        List<Start> starts = new ArrayList<>();
        FakeHub hub = new FakeHub(modelId)
                .file("config.json", config)
                .file("tokenizer.json", tokenizer.getBytes(StandardCharsets.UTF_8))
                .largeFile("model.safetensors", weights);
        URI hubUrl = hub.url();
        String hubAlone;
        try {
            starts.add(start(Phase.FIRST, 1, modelId, hubUrl));
            hubAlone = serveTime(hubUrl.resolve("/" + modelId + "/resolve/main/model.safetensors"), weights.length);
        } finally {
            hub.close();
        }
        // Let the bench JVM give the weights back before the next starts.
        hub = null;
        weights = null;
        System.gc();

        // Cached starts (hub stopped) interleaved with the no-model baseline, so drift hits both.
        for (int i = 1; i <= options.runs(); i++) {
            starts.add(start(Phase.CACHED, i, modelId, hubUrl));
            starts.add(start(Phase.NONE, i, "none", hubUrl));
        }
        report(starts, hubAlone);
    }

    /**
     * How long the fake hub itself takes to serve the weights (redirect, CDN, loopback) to a client that discards
     * them: the part of the first start's fetch that a real hub would not cost the same way.
     */
    private static String serveTime(URI uri, long expected) throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        long t0 = System.nanoTime();
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long headers = System.nanoTime();
        long n = 0;
        long firstByte = -1;
        try (java.io.InputStream in = r.body()) {
            byte[] buf = new byte[1 << 20];
            for (int k; (k = in.read(buf)) >= 0;) {
                if (firstByte < 0 && k > 0) {
                    firstByte = System.nanoTime();
                }
                n += k;
            }
        }
        long end = System.nanoTime();
        if (r.statusCode() != 200 || n != expected) {
            return "status " + r.statusCode() + ", " + n + " of " + expected + " bytes (not measured)";
        }
        return String.format(Locale.ROOT, "model.safetensors (%s MB) to a client that discards it: headers after %d"
                + " ms, first byte after %d ms, all in %d ms", mb(n), (headers - t0) / 1_000_000,
                (firstByte - t0) / 1_000_000, (end - t0) / 1_000_000);
    }

    /** Starts the gateway, waits for readiness, reads its peak RSS, stops it, checks what its log says. */
    private Start start(Phase phase, int run, String modelId, URI hubUrl) throws Exception {
        Thread.sleep(1000); // let the previous process' exit settle
        int port = freePort();
        Path log = logDir.resolve(phase.name().toLowerCase(Locale.ROOT) + "-" + run + ".log");
        List<String> command = new ArrayList<>();
        command.add(options.java().toString());
        command.addAll(options.gatewayOpts());
        command.add("-jar");
        command.add(options.jar().toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(options.work().toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("LINGUAGATE_") || k.startsWith("QUARKUS_") || k.equals("HF_TOKEN")
                || k.equals("HUGGING_FACE_HUB_TOKEN") || k.equals("HF_HOME"));
        env.put("LINGUAGATE_MODEL_ID", modelId);
        env.put("LINGUAGATE_MODEL_HUB_URL", hubUrl.toString());
        env.put("LINGUAGATE_MODEL_CACHE_DIR", cacheDir.toString());
        env.put("LINGUAGATE_UPSTREAM_BASE_URL", "http://127.0.0.1:9/v1");
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));

        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
        long launchWallMs = System.currentTimeMillis();
        long launch = System.nanoTime();
        Process p = pb.start();
        current = p;
        long readyMs = -1;
        Map<String, Long> status = Map.of();
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(phase.label + " #" + run + ": the gateway exited with status "
                            + p.exitValue() + " before it was ready; log " + log + ":\n" + tail(log, 30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(phase.label + " #" + run + ": not ready within "
                            + options.timeoutSeconds() + " s; log " + log + ":\n" + tail(log, 30));
                }
                if (isReady(ready)) {
                    readyMs = (System.nanoTime() - launch) / 1_000_000;
                    status = procStatus(p.pid());
                    break;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            stop(p);
            current = null;
        }
        LogFacts facts = parseLog(log, launchWallMs);
        check(phase, run, facts, log);
        Start s = new Start(phase, run, readyMs, status.getOrDefault("VmHWM", -1L),
                status.getOrDefault("VmRSS", -1L), status.getOrDefault("RssAnon", -1L),
                status.getOrDefault("RssFile", -1L), facts, log);
        System.out.printf(Locale.ROOT, "%-38s #%d  ready in %,7d ms  peak RSS %,6d MB (at ready %,d MB = anon %,d"
                + " + file %,d)  %s%n", phase.label, run, readyMs, s.hwmKb() / 1024, s.rssKb() / 1024,
                s.anonKb() / 1024, s.fileKb() / 1024, describe(facts));
        return s;
    }

    private boolean isReady(URI uri) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: Quarkus shuts down gracefully
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The start did what its phase means: a fetch and a conversion first, the cache afterwards, no model at all. */
    private static void check(Phase phase, int run, LogFacts f, Path log) throws IOException {
        String problem = switch (phase) {
            case FIRST -> !f.fetched() ? "no fetch in the log" : !f.converted() ? "no conversion in the log"
                    : !f.loaded() ? "the model was not loaded" : null;
            case CACHED -> !f.cacheHit() ? "the cache was not used" : f.fetched() || f.converted()
                    ? "fetched or converted again" : !f.loaded() ? "the model was not loaded" : null;
            case NONE -> !f.noModel() || f.loaded() ? "a model was loaded" : null;
        };
        if (problem != null) {
            throw new IllegalStateException(phase.label + " #" + run + ": " + problem + "; log " + log + ":\n"
                    + tail(log, 30));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static LogFacts parseLog(Path log, long launchWallMs) throws IOException {
        Long first = null;
        Long fetchStart = null;
        Long fetchEnd = null;
        Long cacheHit = null;
        Long convertEnd = null;
        Long loadedAt = null;
        Long convertMs = null;
        Long modelMs = null;
        Long startedMs = null;
        String download = null;
        boolean noModel = false;
        List<String> warnings = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = LOG_LINE.matcher(line);
            if (!m.matches()) {
                if (!line.isBlank() && warnings.size() < 50) {
                    warnings.add("(unformatted) " + line);
                }
                continue;
            }
            long t = LocalDateTime.parse(m.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
                    .toEpochMilli();
            String level = m.group(2);
            String msg = m.group(5);
            if (first == null) {
                first = t;
            }
            if (level.equals("WARN") || level.equals("ERROR") || level.equals("FATAL")) {
                warnings.add(level + " [" + m.group(3) + "] " + msg);
            }
            Matcher c;
            if (msg.contains(": fetching from ")) {
                fetchStart = t;
            } else if (msg.startsWith("Downloaded ")) {
                download = msg;
            } else if (msg.contains(": fetched ") && msg.contains(" files (")) {
                fetchEnd = t;
            } else if (msg.contains("using the complete copy")) {
                cacheHit = t;
            } else if ((c = CONVERTED.matcher(msg)).find()) {
                convertEnd = t;
                convertMs = Long.parseLong(c.group(1));
            } else if ((c = LOADED.matcher(msg)).find()) {
                loadedAt = t;
                modelMs = Long.parseLong(c.group(1));
            } else if ((c = STARTED.matcher(msg)).find()) {
                startedMs = Math.round(Double.parseDouble(c.group(1)) * 1000);
            } else if (msg.startsWith("No compression model")) {
                noModel = true;
            }
        }
        Long before = convertEnd != null ? convertEnd : cacheHit != null ? cacheHit : fetchEnd;
        return new LogFacts(
                first == null ? OptionalLong.empty() : OptionalLong.of(first - launchWallMs),
                fetchStart != null && fetchEnd != null ? OptionalLong.of(fetchEnd - fetchStart) : OptionalLong.empty(),
                convertEnd != null && fetchEnd != null ? OptionalLong.of(convertEnd - fetchEnd) : OptionalLong.empty(),
                convertMs == null ? OptionalLong.empty() : OptionalLong.of(convertMs),
                loadedAt != null && before != null ? OptionalLong.of(loadedAt - before) : OptionalLong.empty(),
                modelMs == null ? OptionalLong.empty() : OptionalLong.of(modelMs),
                startedMs == null ? OptionalLong.empty() : OptionalLong.of(startedMs), download, fetchEnd != null, convertEnd != null, cacheHit != null, loadedAt != null, noModel,
                warnings);
    }

    private static String describe(LogFacts f) {
        StringBuilder b = new StringBuilder("| log:");
        f.bootMs().ifPresent(v -> b.append(" first line +").append(v).append(" ms,"));
        f.fetchMs().ifPresent(v -> b.append(" fetch ").append(v).append(" ms,"));
        f.convertMs().ifPresent(v -> b.append(" convert ").append(v).append(" ms"));
        f.converterMs().ifPresent(v -> b.append(" (converter ").append(v).append(" ms),"));
        f.loadMs().ifPresent(v -> b.append(" load+warm-up ").append(v).append(" ms,"));
        f.modelMs().ifPresent(v -> b.append(" model total ").append(v).append(" ms,"));
        f.quarkusStartedMs().ifPresent(v -> b.append(" Quarkus 'started in' ").append(v).append(" ms"));
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void report(List<Start> starts, String hubAlone) {
        Map<Phase, List<Start>> byPhase = new LinkedHashMap<>();
        for (Phase ph : Phase.values()) {
            byPhase.put(ph, starts.stream().filter(s -> s.phase() == ph).toList());
        }
        System.out.printf(Locale.ROOT, "%nCold start, %s model, %d run(s) per repeated phase (ready = process start "
                + "-> first 200 from /q/health/ready, polled every %d ms; RSS = VmHWM, MB = 2^20 bytes)%n%n",
                options.size(), options.runs(), POLL_MILLIS);
        System.out.printf(Locale.ROOT, "%-40s %4s %10s %8s %8s %8s %12s%n", "phase", "runs", "median ms", "min",
                "max", "RSS MB", "RSS@ready MB");
        for (Map.Entry<Phase, List<Start>> e : byPhase.entrySet()) {
            List<Start> l = e.getValue();
            System.out.printf(Locale.ROOT, "%-40s %4d %10d %8d %8d %8d %12d%n", e.getKey().label, l.size(),
                    median(l, Start::readyMs), min(l, Start::readyMs), max(l, Start::readyMs),
                    median(l, Start::hwmKb) / 1024, median(l, Start::rssKb) / 1024);
        }
        long cached = median(byPhase.get(Phase.CACHED), Start::readyMs);
        long none = median(byPhase.get(Phase.NONE), Start::readyMs);
        long cachedRss = median(byPhase.get(Phase.CACHED), Start::hwmKb) / 1024;
        long noneRss = median(byPhase.get(Phase.NONE), Start::hwmKb) / 1024;
        long cachedAtReady = median(byPhase.get(Phase.CACHED), Start::rssKb) / 1024;
        long noneAtReady = median(byPhase.get(Phase.NONE), Start::rssKb) / 1024;
        long first = median(byPhase.get(Phase.FIRST), Start::readyMs);
        long firstRss = median(byPhase.get(Phase.FIRST), Start::hwmKb) / 1024;
        long firstAtReady = median(byPhase.get(Phase.FIRST), Start::rssKb) / 1024;
        System.out.printf(Locale.ROOT, "%-40s %4s %+10d %8s %8s %+8d %+12d%n",
                "added by the model (cached - no model)", "", cached - none, "", "", cachedRss - noneRss,
                cachedAtReady - noneAtReady);
        System.out.printf(Locale.ROOT, "%-40s %4s %+10d %8s %8s %+8d %+12d%n", "first start - cached start", "",
                first - cached, "", "", firstRss - cachedRss, firstAtReady - cachedAtReady);

        System.out.printf(Locale.ROOT, "%nFrom the gateway's log (ms; medians over the runs; '-' = not in the log):%n");
        System.out.printf(Locale.ROOT, "%-40s %12s %8s %8s %13s %12s %16s%n", "phase", "first line", "fetch",
                "convert", "load+warm-up", "model total", "'started in'");
        for (Map.Entry<Phase, List<Start>> e : byPhase.entrySet()) {
            List<Start> l = e.getValue();
            System.out.printf(Locale.ROOT, "%-40s %12s %8s %8s %13s %12s %16s%n", e.getKey().label,
                    medianOf(l, f -> f.bootMs()), medianOf(l, f -> f.fetchMs()), medianOf(l, f -> f.convertMs()),
                    medianOf(l, f -> f.loadMs()), medianOf(l, f -> f.modelMs()),
                    medianOf(l, f -> f.quarkusStartedMs()));
        }
        System.out.println("  first line = process start -> the gateway's first log line (JVM + Quarkus boot);"
                + " fetch = 'fetching from' -> 'fetched N files'; convert = 'fetched' -> 'Converted in' (the CUDA"
                + " probe, which loads ONNX Runtime, then the conversion); load+warm-up = 'Converted' or 'using the"
                + " complete copy' -> 'loaded and warmed up'; model total = the 'loaded and warmed up in' figure"
                + " (provision + load + warm-up)");
        byPhase.get(Phase.FIRST).forEach(s -> {
            if (s.log().download() != null) {
                System.out.println("  first start: " + s.log().download());
            }
        });
        System.out.println("  fake hub alone (right after the first start): " + hubAlone);

        Map<String, Integer> warnings = new LinkedHashMap<>();
        for (Start s : starts) {
            for (String w : s.log().warnings()) {
                warnings.merge(s.phase().name().toLowerCase(Locale.ROOT) + ": " + w, 1, Integer::sum);
            }
        }
        if (!warnings.isEmpty()) {
            System.out.println("\nGateway log lines at WARN/ERROR (or not in the log format), per phase, with counts:");
            warnings.forEach((w, n) -> System.out.println("  " + n + "x " + w));
        }
        System.out.println("\nGateway logs: " + logDir);
    }

    private static long median(List<Start> l, ToLongFunction<Start> f) {
        long[] v = l.stream().mapToLong(f).sorted().toArray();
        return v.length == 0 ? -1 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long min(List<Start> l, ToLongFunction<Start> f) {
        return l.stream().mapToLong(f).min().orElse(-1);
    }

    private static long max(List<Start> l, ToLongFunction<Start> f) {
        return l.stream().mapToLong(f).max().orElse(-1);
    }

    private static String medianOf(List<Start> l, java.util.function.Function<LogFacts, OptionalLong> f) {
        long[] v = l.stream().map(s -> f.apply(s.log())).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).sorted().toArray();
        if (v.length == 0) {
            return "-";
        }
        long m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.valueOf(m);
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * A random BERT-base token classifier as LLMLingua-2 uses it (multilingual cased vocabulary incl. the 100
     * placeholders): 12 layers, hidden 768, 12 heads, intermediate 3072, vocab 119,647, 512 positions; fp32.
     */
    private static void writeBertBase(Path dir) throws IOException {
        int layers = 12;
        int hidden = 768;
        int intermediate = 3072;
        int vocab = 119_647;
        int positions = 512;
        Files.createDirectories(dir);
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.putArray("architectures").add("BertForTokenClassification");
        cfg.put("model_type", "bert").put("hidden_size", hidden).put("num_hidden_layers", layers)
                .put("num_attention_heads", 12).put("intermediate_size", intermediate).put("hidden_act", "gelu")
                .put("hidden_dropout_prob", 0.1).put("attention_probs_dropout_prob", 0.1)
                .put("layer_norm_eps", 1e-12).put("vocab_size", vocab).put("max_position_embeddings", positions)
                .put("type_vocab_size", 2).put("pad_token_id", 0).put("position_embedding_type", "absolute")
                .put("torch_dtype", "float32");
        cfg.putObject("id2label").put("0", "LABEL_0").put("1", "LABEL_1");
        cfg.putObject("label2id").put("LABEL_0", 0).put("LABEL_1", 1);
        Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());

        SafetensorsWriter w = new SafetensorsWriter();
        long[] seed = {1};
        uniform(w, "bert.embeddings.word_embeddings.weight", 0.05f, seed, vocab, hidden);
        uniform(w, "bert.embeddings.position_embeddings.weight", 0.05f, seed, positions, hidden);
        uniform(w, "bert.embeddings.token_type_embeddings.weight", 0.05f, seed, 2, hidden);
        norm(w, "bert.embeddings.LayerNorm", hidden);
        for (int i = 0; i < layers; i++) {
            String l = "bert.encoder.layer." + i + ".";
            dense(w, l + "attention.self.query", hidden, hidden, seed);
            dense(w, l + "attention.self.key", hidden, hidden, seed);
            dense(w, l + "attention.self.value", hidden, hidden, seed);
            dense(w, l + "attention.output.dense", hidden, hidden, seed);
            norm(w, l + "attention.output.LayerNorm", hidden);
            dense(w, l + "intermediate.dense", hidden, intermediate, seed);
            dense(w, l + "output.dense", intermediate, hidden, seed);
            norm(w, l + "output.LayerNorm", hidden);
        }
        dense(w, "classifier", hidden, 2, seed);
        w.write(dir.resolve("model.safetensors"));
    }

    /** A Linear layer: weight [out, in], bias [out]. */
    private static void dense(SafetensorsWriter w, String name, int in, int out, long[] seed) {
        uniform(w, name + ".weight", (float) (1 / Math.sqrt(in)), seed, out, in);
        uniform(w, name + ".bias", 0.02f, seed, out);
    }

    private static void norm(SafetensorsWriter w, String name, int hidden) {
        w.add(name + ".weight", Dtype.F32, new long[] {hidden}, (first, dst, n) -> Arrays.fill(dst, 0, n, 1f));
        w.add(name + ".bias", Dtype.F32, new long[] {hidden}, (first, dst, n) -> Arrays.fill(dst, 0, n, 0f));
    }

    /** Uniform in [-scale, scale); one generator per tensor, consumed in order (the writer asks chunk by chunk). */
    private static void uniform(SafetensorsWriter w, String name, float scale, long[] seed, long... shape) {
        SplittableRandom random = new SplittableRandom(0xC01D57A27L + seed[0]++);
        w.add(name, Dtype.F32, shape, (first, dst, n) -> {
            for (int i = 0; i < n; i++) {
                dst[i] = (random.nextFloat() * 2 - 1) * scale;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Stops a gateway still running and deletes the model cache (unless --keep); once. */
    private synchronized void cleanup() {
        Process p = current;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            deleteTree(options.work().resolve("checkpoint"));
            if (options.keep()) {
                System.out.println("model cache kept: " + cacheDir);
            } else {
                deleteTree(cacheDir);
                System.out.println("deleted the model cache " + cacheDir);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cold-start: could not delete " + cacheDir + ": " + e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** kB values of /proc/PID/status. */
    private static Map<String, Long> procStatus(long pid) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                String[] parts = line.split(":\\s+");
                if (parts.length == 2 && parts[1].endsWith(" kB")) {
                    m.put(parts[0], Long.parseLong(parts[1].replace(" kB", "").trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone: no RSS
        }
        return m;
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
