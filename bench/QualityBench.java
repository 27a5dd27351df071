import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * LinguaGate compression-quality benchmark: sends every corpus item (bench/quality-corpus/*.json, one chat request's
 * messages each) through the gateway at several rates, takes the body the upstream actually received, and measures
 * what compression did to the texts it compressed. JDK classes only (its own recording upstream, JSON parser and
 * writer); runs with the single-file source launcher or compiled with javac (bench/quality-bench.sh does the
 * latter). Two modes:
 *
 * <ul>
 * <li>{@code upstream --port P}: a recording upstream. {@code POST /v1/chat/completions} stores the exact request
 * body under a number, answers a minimal {@code chat.completion} with that number in the header
 * {@code x-qbench-record} (the gateway relays end-to-end headers); {@code GET /qbench/record/N} gives the body back.</li>
 * <li>{@code run --gateway URL --upstream URL --corpus DIR}: the benchmark client.</li>
 * </ul>
 *
 * <p>Everything measured is the bench's own, independent of the gateway's code: which texts are compressible (roles
 * system / developer / tool / function and user messages other than the last, at least 200 tokens of the bench's own
 * count), the protected items (its own regexes), JSON (its own strict parser), words (its own definition). The
 * gateway's only inputs are its x-compression-* headers and the forwarded body. See bench/README.md.
 */
public class QualityBench {

    static final Set<String> COMPRESSED_ROLES = Set.of("system", "developer", "tool", "function", "user");
    /** The gateway's min-tokens default, applied to the bench's own token count. */
    static final int MIN_TOKENS = 200;
    /** The gateway's last-user-min-tokens default: a last user message longer than this is compressed too. */
    static final int LAST_USER_MIN_TOKENS = 4000;
    static final double RATIO_TOLERANCE = 0.1;

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            System.exit(args.length == 0 ? 2 : 0);
        }
        Map<String, String> opts;
        try {
            opts = options(Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        switch (args[0]) {
            case "upstream" -> upstream(opts);
            case "run" -> {
                if (!opts.containsKey("gateway") || !opts.containsKey("upstream") || !opts.containsKey("corpus")) {
                    usage();
                    System.exit(2);
                }
                QualityBench bench;
                try {
                    bench = new QualityBench(opts);
                } catch (IllegalArgumentException e) { // includes NumberFormatException
                    System.err.println("bad option value: " + e.getMessage());
                    usage();
                    System.exit(2);
                    return;
                }
                try {
                    System.exit(bench.run());
                } catch (BenchFailure e) {
                    System.out.flush();
                    System.err.println();
                    System.err.println("quality-bench FAILED: " + e.getMessage());
                    System.exit(1);
                }
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    static void usage() {
        System.out.println("""
                usage:
                  java bench/QualityBench.java upstream --port 18281 [--max-seconds 3600]
                  java bench/QualityBench.java run --gateway http://127.0.0.1:18280/v1 --upstream http://127.0.0.1:18281
                       --corpus bench/quality-corpus [--rates "0.33 0.5 0.7"] [--model gpt-4o-mini] [--examples 3]
                       [--save DIR] [--timeout 120] [--info TEXT]... [--reproduce CMD]
                --examples N: missing items and invented words shown per row (0: none); --save DIR: writes each
                compressible text as sent and as forwarded. Exit status: 0 ran (missed targets are reported, not an
                exit status), 1 harness error (corpus, non-200 answer, no recorded body), 2 usage. See bench/README.md.""");
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got: " + args[i]);
            }
            opts.merge(args[i].substring(2), args[++i], (a, b) -> a + "\n" + b);
        }
        return opts;
    }

    /** A problem of the harness or the corpus that makes the numbers meaningless: exit status 1. */
    static final class BenchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchFailure(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Recording upstream
    // ------------------------------------------------------------------------------------------------------------

    static void upstream(Map<String, String> opts) throws IOException {
        int port = Integer.parseInt(opts.getOrDefault("port", "18281"));
        long maxSeconds = Long.parseLong(opts.getOrDefault("max-seconds", "3600"));
        Map<Integer, byte[]> records = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (!exchange.getRequestMethod().equals("POST")) {
                    send(exchange, 405, "{\"error\":{\"message\":\"POST only\"}}");
                    return;
                }
                int n = next.incrementAndGet();
                records.put(n, body);
                exchange.getResponseHeaders().set("x-qbench-record", Integer.toString(n));
                send(exchange, 200, """
                        {"id":"chatcmpl-qbench-%d","object":"chat.completion","created":1700000000,\
                        "model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},\
                        "logprobs":null,"finish_reason":"stop"}],\
                        "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""".formatted(n));
            }
        });
        server.createContext("/qbench/record/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String tail = exchange.getRequestURI().getPath().substring("/qbench/record/".length());
                byte[] body = tail.matches("\\d{1,9}") ? records.get(Integer.parseInt(tail)) : null;
                if (body == null) {
                    send(exchange, 404, "{\"error\":{\"message\":\"no such record\"}}");
                } else {
                    exchange.getResponseHeaders().set("content-type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                send(exchange, 404, "{\"error\":{\"message\":\"unknown path\"}}");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("recording upstream on 127.0.0.1:" + port);
        try {
            Thread.sleep(maxSeconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Benchmark client
    // ------------------------------------------------------------------------------------------------------------

    final Map<String, String> opts;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final Duration timeout;
    final int examples;

    final List<Double> rates = new ArrayList<>();

    QualityBench(Map<String, String> opts) {
        this.opts = opts;
        this.timeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("timeout", "120").trim()));
        this.examples = Integer.parseInt(opts.getOrDefault("examples", "3").trim());
        for (String r : opts.getOrDefault("rates", "0.33 0.5 0.7").trim().split("[\\s,]+")) {
            double rate = Double.parseDouble(r);
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate out of (0, 1]: " + r);
            }
            if (!rates.contains(rate)) {
                rates.add(rate);
            }
        }
        if (examples < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--examples must be >= 0, --timeout > 0");
        }
    }

    /** One corpus file. */
    record Item(String name, String type, Map<String, Object> request, List<Object> messages, List<TextRef> texts) {
    }

    /** Where a message text sits: message index, content part index (-1: content is a string), role. */
    record TextRef(int message, int part, String role, String text, boolean compressible) {
    }

    /** One protected item found in an original text. */
    record Found(String kind, int start, int end, String text) {
    }

    /** Measurements of one request (item x rate), summed over its compressible texts. */
    static final class Result {
        String item;
        String type;
        double rate;
        String status;
        String cache;
        int hdrOriginal;
        int hdrCompressed;
        long latencyMs;
        int texts;
        int changedTexts;
        long ownOriginal;
        long ownCompressed;
        long ownKept; // own tokens of the texts that are not compressible (kept by the policy)
        long ownFixed; // own tokens inside protected items or JSON syntax of the compressible texts
        double ownExpected; // own tokens the targets allow (see measureText)
        long chars;
        long fixedChars;
        int items;
        int itemsKept;
        int itemsOnceTotal;
        int itemsOnceKept;
        Map<String, int[]> perKind = new TreeMap<>(); // kind -> {items, kept (same count), distinct, kept once}
        int jsonDocs;
        int jsonParsed;
        int jsonSameStructure;
        int invented;
        List<String> missingExamples = new ArrayList<>();
        List<String> inventedExamples = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        double hdrRatio() {
            return hdrOriginal == 0 ? Double.NaN : (double) hdrCompressed / hdrOriginal;
        }
    }

    int run() throws Exception {
        List<Item> items = loadCorpus(Path.of(opts.get("corpus")));
        String gateway = opts.get("gateway").replaceAll("/+$", "");
        String upstream = opts.get("upstream").replaceAll("/+$", "");
        Path save = opts.containsKey("save") ? Path.of(opts.get("save")) : null;

        System.out.println("LinguaGate compression-quality benchmark");
        for (String line : opts.getOrDefault("info", "").split("\n")) {
            if (!line.isBlank()) {
                System.out.println(line);
            }
        }
        System.out.printf(Locale.ROOT, "corpus         : %s, %d items, rates %s, model %s%n", opts.get("corpus"),
                items.size(), rates, opts.getOrDefault("model", "gpt-4o-mini"));
        System.out.println();
        System.out.println("corpus items (compressible texts: role system/developer/tool/function or an earlier user "
                + "message, >= " + MIN_TOKENS + " bench tokens):");
        for (Item item : items) {
            List<String> sizes = new ArrayList<>();
            long kept = 0;
            for (TextRef t : item.texts()) {
                if (t.compressible()) {
                    sizes.add(t.role() + "#" + t.message() + (t.part() >= 0 ? "." + t.part() : "") + " "
                            + ownTokens(t.text()));
                } else {
                    kept += ownTokens(t.text());
                }
            }
            System.out.printf(Locale.ROOT, "  %-34s %-19s compressible: %s; other texts %d tokens%n", item.name(),
                    item.type(), sizes.isEmpty() ? "none" : String.join(", ", sizes), kept);
        }
        System.out.println();
        printTargets();
        System.out.println();

        List<Result> results = new ArrayList<>();
        String modelName = null;
        System.out.println("requests:");
        System.out.printf(Locale.ROOT, "  %-34s %5s  %-24s %-7s %13s %6s %7s%n", "item", "rate", "x-compression-status",
                "cache", "tokens (hdr)", "ratio", "ms");
        for (double rate : rates) {
            for (Item item : items) {
                Result r = measure(item, rate, gateway, upstream, save);
                results.add(r);
                System.out.printf(Locale.ROOT, "  %-34s %5s  %-24s %-7s %6d->%-6d %6s %7d%n", item.name(), fmtRate(rate),
                        r.status, r.cache, r.hdrOriginal, r.hdrCompressed, fmt2(r.hdrRatio()), r.latencyMs);
                if (modelName == null && lastModelHeader != null) {
                    modelName = lastModelHeader;
                }
            }
        }
        System.out.println("  compression model (x-compression-model): " + (modelName == null ? "-" : modelName));
        System.out.println();
        return report(results, rates);
    }

    static String fmtRate(double rate) {
        String s = String.format(Locale.ROOT, "%.2f", rate);
        return s.endsWith("0") && !s.endsWith(".0") ? s.substring(0, s.length() - 1) : s;
    }

    static String fmt2(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(int part, int whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    static void printTargets() {
        System.out.println("targets:");
        System.out.println("  ratio      : x-compression-compressed-tokens / -original-tokens within +-" + RATIO_TOLERANCE
                + " of the expected ratio");
        System.out.println("               expect = k + (1-k) * e, e = blocks (fences, JSON documents: kept but for");
        System.out.println("               their long strings, at the rate) + max(rate, inline items) of the prose;");
        System.out.println("               prot = share of the compressible texts'");
        System.out.println("               tokens inside protected items (and JSON syntax/keys/non-string values/kept strings),");
        System.out.println("               k = share of the request's tokens in texts kept whole (last user, assistant,");
        System.out.println("               short texts), both by the bench's own count (the headers count every text)");
        System.out.println("  protected  : 100% of the protected items of the original compressible texts still occur,");
        System.out.println("               byte-exact and as often (substring not inside a longer word or number)");
        System.out.println("  json       : 100% of the JSON documents (whole-text JSON, ```json blocks) still parse;");
        System.out.println("               'struct' = same keys, array lengths and non-string values (informational)");
        System.out.println("  invented   : 0 words in forwarded compressed texts that never occur in their source text");
    }

    String lastModelHeader;

    Result measure(Item item, double rate, String gateway, String upstream, Path save) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>(item.request());
        request.putIfAbsent("model", opts.getOrDefault("model", "gpt-4o-mini"));
        request.put("stream", Boolean.FALSE);
        String body = Json.write(request);
        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(gateway + "/chat/completions"))
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("authorization", "Bearer qbench")
                .header("x-compression-rate", fmtRate(rate))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BenchFailure(item.name() + " @ " + rate + ": " + e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (response.statusCode() != 200) {
            throw new BenchFailure(item.name() + " @ " + rate + ": gateway answered " + response.statusCode() + ": "
                    + abbreviate(response.body(), 300));
        }
        Result r = new Result();
        r.item = item.name();
        r.type = item.type();
        r.rate = rate;
        r.latencyMs = ms;
        r.status = response.headers().firstValue("x-compression-status").orElse("(none)");
        r.cache = response.headers().firstValue("x-compression-cache").orElse("-");
        r.hdrOriginal = headerInt(response, "x-compression-original-tokens", item);
        r.hdrCompressed = headerInt(response, "x-compression-compressed-tokens", item);
        lastModelHeader = response.headers().firstValue("x-compression-model").orElse(lastModelHeader);
        String record = response.headers().firstValue("x-qbench-record")
                .orElseThrow(() -> new BenchFailure(item.name() + ": no x-qbench-record header in the answer (is the "
                        + "gateway's upstream the recording upstream?)"));
        HttpResponse<String> recorded = http.send(HttpRequest.newBuilder(URI.create(upstream + "/qbench/record/" + record))
                .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (recorded.statusCode() != 200) {
            throw new BenchFailure(item.name() + ": recorded body " + record + " not found upstream");
        }
        Object forwarded;
        try {
            forwarded = Json.parse(recorded.body());
        } catch (IllegalArgumentException e) {
            throw new BenchFailure(item.name() + " @ " + rate + ": the body the upstream received is not JSON: "
                    + e.getMessage());
        }
        List<Object> fwdMessages = forwarded instanceof Map<?, ?> m && m.get("messages") instanceof List<?> l
                ? castList(l) : null;
        if (fwdMessages == null) {
            throw new BenchFailure(item.name() + " @ " + rate + ": forwarded body has no messages array");
        }
        if (fwdMessages.size() != item.messages().size()) {
            r.notes.add("forwarded " + fwdMessages.size() + " messages, sent " + item.messages().size());
        }
        for (TextRef t : item.texts()) {
            if (!t.compressible()) {
                r.ownKept += ownTokens(t.text());
                continue;
            }
            String fwd = textAt(fwdMessages, t);
            if (fwd == null) {
                r.notes.add("message " + t.message() + " text missing in the forwarded body");
                fwd = "";
            }
            if (save != null) {
                String base = item.name() + "-m" + t.message() + (t.part() >= 0 ? "p" + t.part() : "");
                Files.createDirectories(save);
                Files.writeString(save.resolve(base + ".orig.txt"), t.text());
                Files.writeString(save.resolve(base + ".rate" + fmtRate(rate) + ".txt"), fwd);
            }
            measureText(t.text(), fwd, r);
        }
        return r;
    }

    static int headerInt(HttpResponse<?> response, String name, Item item) {
        String v = response.headers().firstValue(name)
                .orElseThrow(() -> new BenchFailure(item.name() + ": no " + name + " header"));
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new BenchFailure(item.name() + ": " + name + " is not a number: " + v);
        }
    }

    static String textAt(List<Object> messages, TextRef t) {
        if (t.message() >= messages.size() || !(messages.get(t.message()) instanceof Map<?, ?> msg)) {
            return null;
        }
        Object content = msg.get("content");
        if (t.part() < 0) {
            return content instanceof String s ? s : null;
        }
        if (content instanceof List<?> parts && t.part() < parts.size() && parts.get(t.part()) instanceof Map<?, ?> p
                && p.get("text") instanceof String s) {
            return s;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Per-text measurements
    // ------------------------------------------------------------------------------------------------------------

    /** Marks a parsed JSON document at {@code at}: its long, spaced string values (compressed) and the rest (kept). */
    void markJson(String text, int at, int length, Json.Parsed doc, boolean[] fixed, boolean[] string) {
        int end = Math.min(text.length(), at + length);
        Arrays.fill(fixed, at, end, true);
        for (int[] span : doc.stringValueSpans()) {
            String value = text.substring(at + span[0], at + span[1]);
            if (value.chars().anyMatch(Character::isWhitespace) && tokens(value).size() >= JSON_MIN_STRING_TOKENS) {
                Arrays.fill(string, at + span[0], at + span[1], true);
                Arrays.fill(fixed, at + span[0], at + span[1], false);
            }
        }
    }

    void measureText(String original, String forwarded, Result r) {
        r.texts++;
        if (!original.equals(forwarded)) {
            r.changedTexts++;
        }
        List<int[]> origTokens = tokens(original);
        r.ownOriginal += origTokens.size();
        r.ownCompressed += tokens(forwarded).size();

        // Protected items, and the share of the text they (plus JSON syntax) cover.
        List<Found> found = protectedItems(original);
        boolean[] fixed = new boolean[original.length()];
        for (Found f : found) {
            Arrays.fill(fixed, f.start(), f.end(), true);
        }
        Json.Parsed whole = Json.tryParseWhole(original);
        if (whole != null) {
            // Everything but the contents of string values (keys included) is JSON syntax a compressor must keep; so
            // are the values the gateway documents as kept (linguagate.compression.json.min-string-tokens): under
            // 16 tokens, or without a space (ids, URLs, dates).
            boolean[] inString = new boolean[original.length()];
            for (int[] span : whole.stringValueSpans()) {
                String value = original.substring(span[0], span[1]);
                if (value.chars().anyMatch(Character::isWhitespace) && tokens(value).size() >= JSON_MIN_STRING_TOKENS) {
                    Arrays.fill(inString, span[0], span[1], true);
                }
            }
            for (int i = 0; i < fixed.length; i++) {
                fixed[i] |= !inString[i];
            }
        }
        // What the targets allow. Prose: protected items count toward its budget (forced), so it can reach
        // max(rate, protected share). A block (a fenced block, a JSON document: the whole text or a ```json block)
        // is outside every prose budget: it stays, but for a JSON document's long strings, each compressed at the
        // rate.
        boolean[] jsonFixed = new boolean[original.length()];
        boolean[] jsonString = new boolean[original.length()];
        // Fenced blocks are documents of their own too (kept whole, outside the prose's budget).
        for (Found f : found) {
            if (f.kind().equals("fence")) {
                Arrays.fill(jsonFixed, f.start(), f.end(), true);
            }
        }
        if (whole != null) {
            markJson(original, 0, original.length(), whole, jsonFixed, jsonString);
        } else {
            int from = 0;
            for (String block : jsonBlocks(original)) {
                int at = original.indexOf(block, from);
                Json.Parsed parsed = at < 0 ? null : Json.tryParseWhole(block);
                if (parsed != null) {
                    markJson(original, at, block.length(), parsed, jsonFixed, jsonString);
                    from = at + block.length();
                }
            }
        }
        long textFixed = 0;
        long prose = 0;
        long proseFixed = 0;
        double expected = 0;
        for (int[] tok : origTokens) {
            int c = tok[0];
            textFixed += fixed[c] ? 1 : 0;
            if (jsonString[c]) {
                expected += r.rate;
            } else if (jsonFixed[c]) {
                expected += 1;
            } else {
                prose++;
                proseFixed += fixed[c] ? 1 : 0;
            }
        }
        r.ownFixed += textFixed;
        r.ownExpected += expected + Math.max(r.rate * prose, proseFixed);
        for (int i = 0; i < original.length(); i++) {
            if (!Character.isWhitespace(original.charAt(i))) {
                r.chars++;
                if (fixed[i]) {
                    r.fixedChars++;
                }
            }
        }

        // Items kept: per distinct item string, occurrences lost (original count - forwarded count) are charged to
        // the extracted items of that string.
        Map<String, List<Found>> byText = new LinkedHashMap<>();
        for (Found f : found) {
            byText.computeIfAbsent(f.text(), k -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<String, List<Found>> e : byText.entrySet()) {
            String s = e.getKey();
            int extracted = e.getValue().size();
            int inOriginal = occurrences(original, s);
            int inForwarded = occurrences(forwarded, s);
            int missing = Math.max(0, inOriginal - inForwarded);
            int kept = Math.max(0, extracted - missing);
            r.items += extracted;
            r.itemsKept += kept;
            r.itemsOnceTotal++;
            r.itemsOnceKept += inForwarded > 0 ? 1 : 0;
            // Kinds: the items of one string all share a kind (the same text matches the same regex first).
            int[] k = r.perKind.computeIfAbsent(e.getValue().get(0).kind(), x -> new int[4]);
            k[0] += extracted;
            k[1] += kept;
            k[2]++;
            k[3] += inForwarded > 0 ? 1 : 0;
            if (kept < extracted && r.missingExamples.size() < examples) {
                r.missingExamples.add(e.getValue().get(0).kind() + " " + quote(s) + (inForwarded > 0
                        ? " (" + inForwarded + " of " + inOriginal + ")" : ""));
            }
        }

        // JSON documents: the whole text, and every ```json block.
        if (whole != null) {
            r.jsonDocs++;
            Json.Parsed after = Json.tryParseWhole(forwarded);
            if (after != null) {
                r.jsonParsed++;
                if (Json.skeleton(after.value()).equals(Json.skeleton(whole.value()))) {
                    r.jsonSameStructure++;
                } else {
                    r.notes.add("JSON parses, structure changed");
                }
            }
        }
        List<String> origBlocks = jsonBlocks(original);
        List<String> fwdBlocks = jsonBlocks(forwarded);
        for (int i = 0; i < origBlocks.size(); i++) {
            Json.Parsed before = Json.tryParseWhole(origBlocks.get(i));
            if (before == null) {
                continue; // not JSON in the original either: nothing to keep valid
            }
            r.jsonDocs++;
            Json.Parsed after = i < fwdBlocks.size() ? Json.tryParseWhole(fwdBlocks.get(i)) : null;
            if (after != null) {
                r.jsonParsed++;
                if (Json.skeleton(after.value()).equals(Json.skeleton(before.value()))) {
                    r.jsonSameStructure++;
                }
            }
        }

        // Invented words.
        Set<String> sourceWords = new LinkedHashSet<>();
        for (int[] w : words(original)) {
            sourceWords.add(original.substring(w[0], w[1]));
        }
        Set<String> shown = new LinkedHashSet<>();
        for (int[] w : words(forwarded)) {
            String word = forwarded.substring(w[0], w[1]);
            if (!sourceWords.contains(word)) {
                r.invented++;
                if (shown.add(word) && r.inventedExamples.size() < examples) {
                    r.inventedExamples.add(quote(word));
                }
            }
        }
    }

    static String quote(String s) {
        String one = s.replace("\n", "\\n");
        return "\"" + abbreviate(one, 60) + "\"";
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Non-overlapping occurrences of {@code s} in {@code text} that are not part of a longer word or number. */
    static int occurrences(String text, String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int first = s.codePointAt(0);
        int last = s.codePointBefore(s.length());
        int count = 0;
        int from = 0;
        while (true) {
            int i = text.indexOf(s, from);
            if (i < 0) {
                return count;
            }
            int end = i + s.length();
            boolean leftOk = i == 0 || !joins(text.codePointBefore(i), first);
            boolean rightOk = end == text.length() || !joins(last, text.codePointAt(end));
            if (leftOk && rightOk) {
                count++;
                from = end;
            } else {
                from = i + 1;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Protected items: the bench's own regexes, tried in this order; a match overlapping an earlier one is skipped
    // ------------------------------------------------------------------------------------------------------------

    /**
     * A letter, digit or underscore that continues a word: not one of a spaceless script, whose characters are words
     * of their own (a number right before or after a Han or Kana character is not part of a longer word).
     */
    static final String JOINING = "[\\p{L}\\p{N}_&&[^\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsThai}\\p{IsLao}"
            + "\\p{IsKhmer}\\p{IsMyanmar}]]";
    static final String NOT_AFTER_WORD = "(?<!" + JOINING + ")";
    static final String NOT_BEFORE_WORD = "(?!" + JOINING + ")";
    static final String URL_CHAR = "[!-~&&[^<>\"'`\\\\\\[\\]{}()]]";
    static final String UNITS_SPACED = "%|‰|°C|°F|°|kg|g|mg|t|km|m|cm|mm|µm|nm|mi|ft|lb|lbs|oz|ms|µs|ns|s|min|h|"
            + "GB|MB|TB|KB|kB|GiB|MiB|TiB|KiB|Gbps|Mbps|kbps|kWh|MWh|GWh|kW|MW|GW|W|V|mAh|Hz|kHz|MHz|GHz|pp|bps|"
            + "million|billion|trillion|Mio\\.|Mrd\\.|USD|EUR|GBP|JPY|CHF|€|\\$|£|¥|円|元|万|亿";
    static final String UNITS_ATTACHED = "M|B|K|k|bn|mn|x|×";

    static final Pattern[] KIND_PATTERNS;
    /** The gateway's default linguagate.compression.json.min-string-tokens. */
    static final int JSON_MIN_STRING_TOKENS = 16;

    static final String[] KINDS = {"fence", "inline-code", "url", "email", "uuid", "date", "time", "version", "ref",
        "identifier", "number"};

    static {
        String[] regex = {
            // fenced code block, opening to closing fence (same fence string), both at line starts
            "(?m)^[ \\t]{0,3}(`{3,}|~{3,})[^\\n]*\\n(?:.*\\n)*?[ \\t]{0,3}\\1[ \\t]*$",
            // inline code
            "(?<!`)`[^`\\n]+`(?!`)",
            // URL (ASCII; trailing sentence punctuation is removed after the match)
            "(?<![A-Za-z0-9])(?:(?:https?|ftp)://|www\\.)" + URL_CHAR + "+",
            // e-mail (a trailing full stop is not part of the domain)
            "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+",
            // UUID
            "(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])",
            // date: ISO (optionally with a T time), d/m/y, d.m.y, CJK
            NOT_AFTER_WORD + "(?:\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?"
                    + "|\\d{4}-(?:0[1-9]|1[0-2])|\\d{1,2}/\\d{1,2}/\\d{2,4}|\\d{1,2}\\.\\d{1,2}\\.\\d{4}"
                    + "|\\d{4}年\\d{1,2}月(?:\\d{1,2}日)?)(?![\\p{N}])" + NOT_BEFORE_WORD,
            // time
            "(?<![\\p{N}:])\\d{1,2}:\\d{2}(?::\\d{2})?(?![\\p{N}:])",
            // version: v1.2 / v1.2.3-rc.1 / 1.2.3
            "(?<![\\p{L}\\p{N}.])(?:v\\d+(?:\\.\\d+)+|\\d+\\.\\d+\\.\\d+)(?:-[0-9A-Za-z]+(?:\\.[0-9A-Za-z]+)*)?"
                    + "(?!\\.?" + JOINING + ")",
            // numbered reference: Item 14, Section 1.2, Table 3
            "(?<![\\p{L}])(?:Item|Section|Article|Part|Chapter|Note|Exhibit|Appendix|Table|Figure|Schedule|Step)"
                    + "[ \\u00A0]\\d+[A-Z]?(?:\\.\\d+)*(?![\\p{N}])",
            // identifier: a word of ASCII letters/digits/-/_ starting with a letter and containing a digit
            "(?<![\\p{L}\\p{N}_-])[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*(?![-_])" + NOT_BEFORE_WORD,
            // number: sign, currency, thousands separators, decimals, %, unit
            NOT_AFTER_WORD + "(?<![.,])(?:[+\\-\\u2212±])?(?:[$€£¥₹][ \\u00A0]?)?"
                    + "(?:\\d{1,3}(?:[,.\\u00A0\\u202F]\\d{3})+|\\d{1,3}(?: \\d{3})+(?!\\d)|\\d+)"
                    + "(?:[.,]\\d+)?(?:[ \\u00A0\\u202F]?(?:" + UNITS_SPACED + ")|(?:" + UNITS_ATTACHED + "))?"
                    + "(?![\\p{N}])" + NOT_BEFORE_WORD,
        };
        KIND_PATTERNS = new Pattern[regex.length];
        for (int i = 0; i < regex.length; i++) {
            KIND_PATTERNS[i] = Pattern.compile(regex[i]);
        }
    }

    static List<Found> protectedItems(String text) {
        boolean[] taken = new boolean[text.length()];
        List<Found> found = new ArrayList<>();
        for (int k = 0; k < KIND_PATTERNS.length; k++) {
            String kind = KINDS[k];
            Matcher m = KIND_PATTERNS[k].matcher(text);
            while (m.find()) {
                int start = m.start();
                int end = m.end();
                if (kind.equals("url")) {
                    while (end > start && ".,;:!?".indexOf(text.charAt(end - 1)) >= 0) {
                        end--;
                    }
                }
                String s = text.substring(start, end);
                if (kind.equals("identifier") && !s.matches(".*\\d.*")) {
                    continue;
                }
                if (kind.equals("version") && s.matches("\\d{1,3}(?:\\.\\d{3})+")) {
                    continue; // 1.250.000: a number with thousands separators
                }
                if (end <= start || anyTaken(taken, start, end)) {
                    continue;
                }
                Arrays.fill(taken, start, end, true);
                found.add(new Found(kind, start, end, s));
            }
        }
        found.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return found;
    }

    static boolean anyTaken(boolean[] taken, int start, int end) {
        for (int i = start; i < end; i++) {
            if (taken[i]) {
                return true;
            }
        }
        return false;
    }

    static final Pattern JSON_BLOCK = Pattern.compile("(?m)^[ \\t]{0,3}```[ \\t]*json[ \\t]*\\n((?:.*\\n)*?)[ \\t]{0,3}```[ \\t]*$",
            Pattern.CASE_INSENSITIVE);

    /** The contents of the ```json fenced blocks of a text, in order. */
    static List<String> jsonBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Words and the bench's own token count
    // ------------------------------------------------------------------------------------------------------------

    /** Letters, digits (any number) and combining marks. */
    static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetter(cp) || type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    /** Whether two adjacent characters belong to one word (so an item that ends at the first is cut out of a word). */
    static boolean joins(int a, int b) {
        return isWordChar(a) && isWordChar(b) && !isSpacelessScript(a) && !isSpacelessScript(b);
    }

    /** Scripts written without spaces between words: each of their characters is a word on its own. */
    static boolean isSpacelessScript(int cp) {
        return switch (Character.UnicodeScript.of(cp)) {
            case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR -> true;
            default -> false;
        };
    }

    /** Words as [start, end) char offsets: maximal runs of word chars, each char of a spaceless script alone. */
    static List<int[]> words(String s) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            if (!isWordChar(cp)) {
                i += len;
                continue;
            }
            if (isSpacelessScript(cp)) {
                out.add(new int[] {i, i + len});
                i += len;
                continue;
            }
            int start = i;
            i += len;
            while (i < n) {
                int c = s.codePointAt(i);
                if (!isWordChar(c) || isSpacelessScript(c)) {
                    break;
                }
                i += Character.charCount(c);
            }
            out.add(new int[] {start, i});
        }
        return out;
    }

    /** The bench's own token count: every word plus every other non-whitespace code point. */
    static List<int[]> tokens(String s) {
        List<int[]> out = new ArrayList<>();
        List<int[]> ws = words(s);
        int w = 0;
        int i = 0;
        while (i < s.length()) {
            if (w < ws.size() && ws.get(w)[0] == i) {
                out.add(ws.get(w));
                i = ws.get(w)[1];
                w++;
                continue;
            }
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                out.add(new int[] {i, i + len});
            }
            i += len;
        }
        return out;
    }

    static int ownTokens(String s) {
        return tokens(s).size();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Corpus
    // ------------------------------------------------------------------------------------------------------------

    static List<Item> loadCorpus(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new BenchFailure("corpus directory not found: " + dir);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new BenchFailure("no *.json in " + dir);
        }
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            Object doc;
            try {
                doc = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new BenchFailure(file + ": " + e.getMessage());
            }
            if (!(doc instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)
                    || !(map.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
                throw new BenchFailure(file + ": expected {\"type\": \"...\", \"messages\": [...]}");
            }
            // The request: every field but the corpus's own ("type", "description").
            Map<String, Object> request = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                if (!key.equals("type") && !key.equals("description")) {
                    request.put(key, e.getValue());
                }
            }
            List<Object> msgs = castList(messages);
            items.add(new Item(name, type, request, msgs, textRefs(msgs, file)));
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    static List<Object> castList(List<?> list) {
        return (List<Object>) list;
    }

    /** Every message text (content string, or text of a content part of type text), with the policy's view. */
    static List<TextRef> textRefs(List<Object> messages, Path file) {
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (!(messages.get(i) instanceof Map<?, ?> m) || !(m.get("role") instanceof String)) {
                throw new BenchFailure(file + ": message " + i + " has no role");
            }
            if ("user".equals(m.get("role"))) {
                lastUser = i;
            }
        }
        List<TextRef> refs = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Map<?, ?> m = (Map<?, ?>) messages.get(i);
            String role = (String) m.get("role");
            Object content = m.get("content");
            if (content instanceof String s) {
                refs.add(ref(i, -1, role, s, i == lastUser));
            } else if (content instanceof List<?> parts) {
                for (int j = 0; j < parts.size(); j++) {
                    if (parts.get(j) instanceof Map<?, ?> p && "text".equals(p.get("type"))
                            && p.get("text") instanceof String s) {
                        refs.add(ref(i, j, role, s, i == lastUser));
                    }
                }
            }
        }
        return refs;
    }

    static TextRef ref(int message, int part, String role, String text, boolean lastUser) {
        int tokens = ownTokens(text);
        boolean compressible = lastUser ? tokens > LAST_USER_MIN_TOKENS
                : COMPRESSED_ROLES.contains(role) && tokens >= MIN_TOKENS;
        return new TextRef(message, part, role, text, compressible);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Report
    // ------------------------------------------------------------------------------------------------------------

    /** Sums of the results of one content type at one rate. */
    static final class Row {
        final String type;
        final double rate;
        final Map<String, Integer> statuses = new TreeMap<>();
        final List<Result> results = new ArrayList<>();
        long hdrOriginal;
        long hdrCompressed;
        long ownOriginal;
        long ownCompressed;
        long ownKept;
        long ownFixed;
        double ownExpected;
        int items;
        int itemsKept;
        int jsonDocs;
        int jsonParsed;
        int jsonSameStructure;
        int invented;
        int texts;
        int changedTexts;

        Row(String type, double rate) {
            this.type = type;
            this.rate = rate;
        }

        void add(Result r) {
            results.add(r);
            statuses.merge(r.status, 1, Integer::sum);
            hdrOriginal += r.hdrOriginal;
            hdrCompressed += r.hdrCompressed;
            ownOriginal += r.ownOriginal;
            ownCompressed += r.ownCompressed;
            ownKept += r.ownKept;
            ownFixed += r.ownFixed;
            ownExpected += r.ownExpected;
            items += r.items;
            itemsKept += r.itemsKept;
            jsonDocs += r.jsonDocs;
            jsonParsed += r.jsonParsed;
            jsonSameStructure += r.jsonSameStructure;
            invented += r.invented;
            texts += r.texts;
            changedTexts += r.changedTexts;
        }

        double hdrRatio() {
            return hdrOriginal == 0 ? Double.NaN : (double) hdrCompressed / hdrOriginal;
        }

        double ownRatio() {
            return ownOriginal == 0 ? Double.NaN : (double) ownCompressed / ownOriginal;
        }

        double prot() {
            return ownOriginal == 0 ? 0 : (double) ownFixed / ownOriginal;
        }

        double keptShare() {
            long all = ownOriginal + ownKept;
            return all == 0 ? 0 : (double) ownKept / all;
        }

        double expected() {
            double k = keptShare();
            return k + (1 - k) * (ownOriginal == 0 ? rate : ownExpected / ownOriginal);
        }

        boolean ratioOk() {
            double ratio = hdrRatio();
            return !Double.isNaN(ratio) && Math.abs(ratio - expected()) <= RATIO_TOLERANCE + 1e-9;
        }

        String status() {
            if (statuses.size() == 1 && results.size() == 1) {
                return statuses.keySet().iterator().next();
            }
            List<String> parts = new ArrayList<>();
            statuses.forEach((s, n) -> parts.add(s + " x" + n));
            return String.join(", ", parts);
        }
    }

    int report(List<Result> results, List<Double> rates) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Result r : results) {
            rows.computeIfAbsent(r.type + "@" + r.rate, k -> new Row(r.type, r.rate)).add(r);
        }
        // Group by type (first-seen order), rates ascending within a type.
        List<String> types = new ArrayList<>();
        for (Result r : results) {
            if (!types.contains(r.type)) {
                types.add(r.type);
            }
        }
        List<Row> table = new ArrayList<>();
        for (String type : types) {
            for (double rate : rates) {
                Row row = rows.get(type + "@" + rate);
                if (row != null) {
                    table.add(row);
                }
            }
        }

        System.out.println("results per content type x rate (ratio: compressed / original tokens; prot, k, expect,");
        System.out.println("own: the bench's own token count over the compressible texts; protected: items kept with the");
        System.out.println("same count; json: documents that still parse, struct: with the same structure):");
        String head = String.format(Locale.ROOT,
                "%-19s %5s %-22s %6s %6s %5s %5s %6s %6s %-4s %-16s %-9s %-6s %8s", "type", "rate", "status",
                "ratio", "own", "prot", "k", "expect", "texts", "ok?", "protected", "json", "struct", "invented");
        System.out.println(head);
        System.out.println("-".repeat(head.length()));
        int ratioOk = 0;
        int items = 0;
        int itemsKept = 0;
        int jsonDocs = 0;
        int jsonParsed = 0;
        int jsonStruct = 0;
        int invented = 0;
        Map<String, Integer> statuses = new TreeMap<>();
        String lastType = null;
        for (Row row : table) {
            if (lastType != null && !lastType.equals(row.type)) {
                System.out.println();
            }
            lastType = row.type;
            boolean ok = row.ratioOk();
            ratioOk += ok ? 1 : 0;
            items += row.items;
            itemsKept += row.itemsKept;
            jsonDocs += row.jsonDocs;
            jsonParsed += row.jsonParsed;
            jsonStruct += row.jsonSameStructure;
            invented += row.invented;
            row.statuses.forEach((s, n) -> statuses.merge(s, n, Integer::sum));
            String protectedCol = row.items == 0 ? "-" : pct(row.itemsKept, row.items) + " " + row.itemsKept + "/"
                    + row.items;
            String jsonCol = row.jsonDocs == 0 ? "-" : pct(row.jsonParsed, row.jsonDocs) + " " + row.jsonParsed + "/"
                    + row.jsonDocs;
            String structCol = row.jsonDocs == 0 ? "-" : row.jsonSameStructure + "/" + row.jsonDocs;
            System.out.printf(Locale.ROOT, "%-19s %5s %-22s %6s %6s %5s %5s %6s %6s %-4s %-16s %-9s %-6s %8d%n",
                    abbreviate(row.type, 19), fmtRate(row.rate), abbreviate(row.status(), 22), fmt2(row.hdrRatio()),
                    fmt2(row.ownRatio()), fmt2(row.prot()), fmt2(row.keptShare()), fmt2(row.expected()),
                    row.changedTexts + "/" + row.texts, ok ? "yes" : "MISS", protectedCol, jsonCol, structCol,
                    row.invented);
        }
        System.out.println();
        System.out.println("'texts' = compressible texts changed / compressible texts; 'ok?' = ratio within +-"
                + RATIO_TOLERANCE + " of expect.");

        // Protected items per kind and rate.
        Map<String, Map<Double, int[]>> kinds = new TreeMap<>();
        for (Result r : results) {
            r.perKind.forEach((kind, c) -> {
                int[] sum = kinds.computeIfAbsent(kind, k -> new TreeMap<>()).computeIfAbsent(r.rate, k -> new int[4]);
                for (int i = 0; i < 4; i++) {
                    sum[i] += c[i];
                }
            });
        }
        System.out.println();
        System.out.println("protected items per kind (all types): kept with the same count, and distinct strings still "
                + "present at least once");
        StringBuilder kh = new StringBuilder(String.format(Locale.ROOT, "%-12s", "kind"));
        for (double rate : rates) {
            kh.append(String.format(Locale.ROOT, " | %-29s", "rate " + fmtRate(rate) + ": same count / once"));
        }
        System.out.println(kh);
        for (Map.Entry<String, Map<Double, int[]>> e : kinds.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s", e.getKey()));
            for (double rate : rates) {
                int[] c = e.getValue().getOrDefault(rate, new int[4]);
                line.append(String.format(Locale.ROOT, " | %-29s", c[0] == 0 ? "-"
                        : String.format(Locale.ROOT, "%4d/%-4d %6s  %6s", c[1], c[0], pct(c[1], c[0]), pct(c[3], c[2]))));
            }
            System.out.println(line);
        }

        if (examples > 0) {
            System.out.println();
            System.out.println("examples (up to " + examples + " per request; --examples N):");
            for (Result r : results) {
                if (r.missingExamples.isEmpty() && r.inventedExamples.isEmpty() && r.notes.isEmpty()) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "  %s @ %s%n", r.item, fmtRate(r.rate));
                if (!r.missingExamples.isEmpty()) {
                    System.out.println("    missing : " + String.join(", ", r.missingExamples));
                }
                if (!r.inventedExamples.isEmpty()) {
                    System.out.println("    invented: " + String.join(", ", r.inventedExamples));
                }
                if (!r.notes.isEmpty()) {
                    System.out.println("    notes   : " + String.join("; ", new LinkedHashSet<>(r.notes)));
                }
            }
        }

        System.out.println();
        System.out.println("reproduce      : " + opts.getOrDefault("reproduce", "java bench/QualityBench.java run ..."));
        List<String> missed = new ArrayList<>();
        if (ratioOk < table.size()) {
            missed.add("ratio");
        }
        if (itemsKept < items) {
            missed.add("protected");
        }
        if (jsonParsed < jsonDocs) {
            missed.add("json");
        }
        if (invented > 0) {
            missed.add("invented");
        }
        List<String> statusParts = new ArrayList<>();
        statuses.forEach((s, n) -> statusParts.add(s + " " + n));
        System.out.printf(Locale.ROOT, "RESULT: ratio on target %d/%d rows, protected kept %s (%d/%d), JSON valid %s "
                + "(%d/%d, same structure %d), invented words %d, statuses: %s -> %s%n", ratioOk, table.size(),
                pct(itemsKept, items), itemsKept, items, pct(jsonParsed, jsonDocs), jsonParsed, jsonDocs, jsonStruct,
                invented, String.join(", ", statusParts),
                missed.isEmpty() ? "all targets met" : "targets missed: " + String.join(", ", missed));
        return 0;
    }

    // ------------------------------------------------------------------------------------------------------------
    // JSON: a small strict parser (RFC 8259; duplicate keys refused) and writer
    // ------------------------------------------------------------------------------------------------------------

    /** A JSON number, kept as written. */
    record Num(String raw) {
    }

    /** JSON null. */
    enum Null { NULL }

    static final class Json {
        /** A parsed document and the [start, end) offsets of the contents of its string values (not keys). */
        record Parsed(Object value, List<int[]> stringValueSpans) {
        }

        private final String s;
        private int i;
        private int depth;
        private final List<int[]> spans = new ArrayList<>();

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            return parseWhole(text).value();
        }

        /** The document, or null when the text (surrounding whitespace aside) is not one JSON value. */
        static Parsed tryParseWhole(String text) {
            String t = text.strip();
            if (t.isEmpty() || (t.charAt(0) != '{' && t.charAt(0) != '[')) {
                return null;
            }
            try {
                return parseWhole(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        static Parsed parseWhole(String text) {
            Json p = new Json(text);
            p.ws();
            Object v = p.value();
            p.ws();
            if (p.i != text.length()) {
                throw p.error("trailing characters");
            }
            return new Parsed(v, p.spans);
        }

        private IllegalArgumentException error(String what) {
            int line = 1;
            int col = 1;
            for (int k = 0; k < Math.min(i, s.length()); k++) {
                if (s.charAt(k) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new IllegalArgumentException("JSON: " + what + " at line " + line + ", column " + col);
        }

        private void ws() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                    || s.charAt(i) == '\r')) {
                i++;
            }
        }

        private Object value() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"': {
                    int start = i + 1;
                    String str = string();
                    spans.add(new int[] {start, i - 1});
                    return str;
                }
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", Null.NULL);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected character '" + c + "'");
            }
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, i)) {
                throw error("bad literal");
            }
            i += word.length();
            return v;
        }

        private Map<String, Object> object() {
            if (++depth > 512) {
                throw error("nesting too deep");
            }
            i++;
            Map<String, Object> map = new LinkedHashMap<>();
            ws();
            if (i < s.length() && s.charAt(i) == '}') {
                i++;
                depth--;
                return map;
            }
            while (true) {
                ws();
                if (i >= s.length() || s.charAt(i) != '"') {
                    throw error("expected a key");
                }
                String key = string();
                ws();
                expect(':');
                ws();
                Object v = value();
                if (map.put(key, v) != null) {
                    throw error("duplicate key \"" + key + "\"");
                }
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect('}');
                depth--;
                return map;
            }
        }

        private List<Object> array() {
            if (++depth > 512) {
                throw error("nesting too deep");
            }
            i++;
            List<Object> list = new ArrayList<>();
            ws();
            if (i < s.length() && s.charAt(i) == ']') {
                i++;
                depth--;
                return list;
            }
            while (true) {
                ws();
                list.add(value());
                ws();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                expect(']');
                depth--;
                return list;
            }
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private String string() {
            i++; // opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

        private Num number() {
            Matcher m = NUMBER.matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw error("bad number");
            }
            i = m.end();
            return new Num(m.group());
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(v, b, false);
            return b.toString();
        }

        /** The structure of a value: keys, array lengths and non-string values, every string value replaced by "". */
        static String skeleton(Object v) {
            StringBuilder b = new StringBuilder();
            write(v, b, true);
            return b.toString();
        }

        private static void write(Object v, StringBuilder b, boolean skeleton) {
            if (v instanceof Map<?, ?> map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    writeString((String) e.getKey(), b);
                    b.append(':');
                    write(e.getValue(), b, skeleton);
                }
                b.append('}');
            } else if (v instanceof List<?> list) {
                b.append('[');
                for (int k = 0; k < list.size(); k++) {
                    if (k > 0) {
                        b.append(',');
                    }
                    write(list.get(k), b, skeleton);
                }
                b.append(']');
            } else if (v instanceof String str) {
                writeString(skeleton ? "" : str, b);
            } else if (v instanceof Num n) {
                b.append(n.raw());
            } else if (v instanceof Boolean bool) {
                b.append(bool);
            } else if (v == Null.NULL || v == null) {
                b.append("null");
            } else {
                throw new IllegalArgumentException("not a JSON value: " + v.getClass());
            }
        }

        private static void writeString(String str, StringBuilder b) {
            b.append('"');
            for (int k = 0; k < str.length(); k++) {
                char c = str.charAt(k);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }
}
