import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * LinguaGate chat benchmark: the latency that chat compression ADDS to a chat completion with a long (~2k-token)
 * system prompt, measured against a baseline in the same run. JDK classes only; runs with Java's single-file source
 * launcher ({@code java bench/ChatBench.java --gateway http://127.0.0.1:18080/v1}) or compiled with javac
 * (bench/chat-bench.sh does the latter). The gateway's upstream should be the stub of bench/GatewayBench.java, which
 * answers instantly, so every difference between the kinds below is the gateway's own work.
 *
 * <p>Sequential requests (closed loop, one keep-alive HTTP/1.1 connection), three kinds with the same body shape
 * and size (a system prompt of English-like prose, then a short user question):
 *
 * <ul>
 * <li><b>baseline</b>: {@code x-compression: off}; a fresh prompt per request. The gateway still parses the body
 * and counts the prompt's tokens (for its headers), but runs no compression.</li>
 * <li><b>miss</b>: {@code x-compression: on}; a fresh prompt per request, so every request runs the model (cache
 * header must say {@code miss}).</li>
 * <li><b>hit</b>: {@code x-compression: on}; one fixed prompt, compressed once during warm-up, then answered from
 * the segment cache (cache header must say {@code hit}).</li>
 * <li><b>direct</b> (optional, {@code --direct URL}): the baseline's bodies sent to the stub itself, for
 * reference: what the gateway costs before compression.</li>
 * </ul>
 *
 * <p>Prompts are generated from a fixed seed (a small grammar over a few hundred common English words, sentences
 * with commas and full stops, paragraphs): no digits, URLs, code or JSON, so the compressor sees the whole prompt
 * as one segment. Each round sends all its requests of all kinds in a seeded random order, so slow drift on a
 * shared machine, GC pauses and the after-effects of a miss hit all kinds alike. See bench/README.md.
 */
public class ChatBench {

    static final String QUESTION = "Which of these steps should the team take first, and why?";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            usage();
            return;
        }
        Map<String, String> opts;
        try {
            opts = options(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        if (!opts.containsKey("gateway")) {
            usage();
            System.exit(2);
        }
        try {
            System.exit(new ChatBench(opts).run(String.join(" ", args)));
        } catch (BenchFailure e) {
            System.out.flush();
            System.err.println();
            System.err.println("chat-bench FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    static void usage() {
        System.out.println("""
                usage:
                  java bench/ChatBench.java --gateway http://127.0.0.1:18080/v1 [--direct http://127.0.0.1:18081/v1]
                       [--requests 100] [--miss-requests N] [--rounds 3] [--warmup 2000] [--miss-warmup 10]
                       [--prompt-chars 11800] [--seed 42] [--model gpt-4o-mini] [--timeout 120]
                       [--surface chat|responses|messages]
                       [--info TEXT]... [--reproduce CMD]
                --requests: baseline / hit (/ direct) requests per kind per round; --miss-requests: miss requests per
                round (default: --requests); --warmup / --miss-warmup: discarded requests per kind before round 1.
                Exit status: 0 ran, 1 a check failed (non-200, wrong x-compression-status / -cache), 2 usage.
                See bench/README.md.""");
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

    static int num(Map<String, String> opts, String key, int dflt) {
        String v = opts.get(key);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    /** A check that makes the numbers meaningless: the run stops with exit status 1. */
    static final class BenchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchFailure(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Prompt generator
    // ------------------------------------------------------------------------------------------------------------

    /** English-like prose from a fixed vocabulary: deterministic for a seed, letters and punctuation only. */
    static final class Prose {
        static final String[] DETS_SINGULAR = words("the this that each every one another our your their a");
        static final String[] DETS_PLURAL = words("the these those many some most several our your their all");
        static final String[] ADJECTIVES = words("""
                new old small large simple clear quick slow careful good better best great important early late \
                final useful common general public private local global strong weak open short long recent \
                modern basic main major minor full empty safe secure stable rapid steady fair free happy busy \
                quiet real true certain possible likely difficult easy hard soft heavy light bright dark clean \
                fresh rich poor high low wide narrow deep special formal normal regular typical whole complete \
                extra single daily weekly annual careful friendly honest serious""");
        static final String[] NOUNS_SINGULAR = words("""
                plan report meeting budget project system service product market customer question answer \
                problem idea decision process change result policy rule team group office city country \
                company client partner manager leader member student teacher lesson story book page letter \
                message document summary review record account price cost value quality risk goal task step \
                method model design feature release version schedule week month year morning evening season \
                road river garden house kitchen window door table chair street village school library hospital \
                station network website platform database server update request response""");
        static final String[] NOUNS_PLURAL = words("""
                plans reports meetings budgets projects systems services products markets customers questions \
                answers problems ideas decisions changes results policies rules teams groups offices cities \
                companies clients partners managers leaders members students teachers lessons stories books \
                pages letters messages documents reviews records accounts prices costs values risks goals tasks \
                steps methods features releases schedules weeks months years details notes users people \
                friends families workers experts options choices events reasons benefits limits""");
        static final String[] VERBS = words("""
                review prepare share explain improve support discuss describe compare choose build test check \
                measure follow reduce increase protect change move keep send receive read write plan schedule \
                finish start update replace remove add collect organize deliver design develop manage handle \
                consider accept reject approve question answer study learn teach visit use need want expect \
                watch find give take make bring show help offer create track report publish""");
        static final String[] ADVERBS = words("""
                carefully quickly slowly clearly often usually rarely always sometimes finally quietly openly \
                gently firmly easily simply mostly nearly really early soon later again together""");
        static final String[] PREPOSITIONS = words("""
                with for about after before during without under over across through between around near \
                inside outside behind beyond against toward""");
        static final String[] CONNECTORS = words("and but so because while although since unless whereas");
        static final String[] AUXILIARIES = words("should can do will could would");
        static final String[] OPENERS = words("""
                However Therefore Meanwhile Instead Later Today Usually Finally Otherwise Still Often Also \
                Naturally Fortunately Clearly Honestly""");

        static String[] words(String list) {
            return list.trim().split("\\s+");
        }

        /**
         * Prose of at most {@code chars} characters, ending with a full sentence: sentences of 7..30 words, commas,
         * paragraphs of 3..7 sentences separated by a blank line.
         */
        static String of(long seed, int chars) {
            Random random = new Random(seed);
            StringBuilder text = new StringBuilder(chars + 200);
            int inParagraph = 0;
            int paragraphLength = 3 + random.nextInt(5);
            while (true) {
                String sentence = sentence(random);
                String sep = text.isEmpty() ? "" : inParagraph >= paragraphLength ? "\n\n" : " ";
                if (text.length() + sep.length() + sentence.length() > chars) {
                    if (text.isEmpty()) {
                        return sentence.substring(0, Math.max(1, chars - 1)) + ".";
                    }
                    return text.toString();
                }
                if (sep.equals("\n\n")) {
                    inParagraph = 0;
                    paragraphLength = 3 + random.nextInt(5);
                }
                text.append(sep).append(sentence);
                inParagraph++;
            }
        }

        static String sentence(Random r) {
            String end = r.nextInt(12) == 0 ? "?" : r.nextInt(25) == 0 ? "!" : ".";
            StringBuilder s = new StringBuilder();
            if (end.equals("?")) {
                s.append(pick(r, AUXILIARIES)).append(' '); // "Should the team review the plan?"
            } else if (r.nextInt(5) == 0) {
                s.append(pick(r, OPENERS)).append(", ");
            }
            clause(r, s, end.equals("?"));
            if (r.nextInt(3) == 0) {
                s.append(", ").append(pick(r, CONNECTORS)).append(' ');
                clause(r, s, false);
            }
            s.append(end);
            s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
            return s.toString();
        }

        static void clause(Random r, StringBuilder s, boolean question) {
            boolean[] singular = new boolean[1];
            s.append(subject(r, singular)).append(' ');
            if (r.nextInt(4) == 0) {
                s.append(pick(r, ADVERBS)).append(' ');
            }
            String verb = pick(r, VERBS);
            s.append(singular[0] && !question ? thirdPerson(verb) : verb).append(' ').append(object(r));
            int extras = r.nextInt(3);
            for (int i = 0; i < extras; i++) {
                s.append(' ').append(pick(r, PREPOSITIONS)).append(' ').append(object(r));
            }
            if (r.nextInt(6) == 0) {
                s.append(' ').append(pick(r, ADVERBS));
            }
        }

        /** A subject; {@code singular[0]} tells whether the verb needs its -s form. */
        static String subject(Random r, boolean[] singular) {
            singular[0] = false;
            return switch (r.nextInt(3)) {
                case 0 -> pick(r, PLURAL_SUBJECTS);
                case 1 -> {
                    singular[0] = true;
                    yield pick(r, SINGULAR_SUBJECTS);
                }
                default -> pick(r, DETS_PLURAL) + (r.nextBoolean() ? " " + pick(r, ADJECTIVES) : "") + " "
                        + pick(r, NOUNS_PLURAL);
            };
        }

        static String thirdPerson(String verb) {
            if (verb.endsWith("s") || verb.endsWith("sh") || verb.endsWith("ch") || verb.endsWith("x")) {
                return verb + "es";
            }
            if (verb.endsWith("y") && "aeiou".indexOf(verb.charAt(verb.length() - 2)) < 0) {
                return verb.substring(0, verb.length() - 1) + "ies";
            }
            return verb + "s";
        }

        static String object(Random r) {
            if (r.nextBoolean()) {
                String det = pick(r, DETS_SINGULAR);
                String adj = r.nextBoolean() ? pick(r, ADJECTIVES) : null;
                String noun = pick(r, NOUNS_SINGULAR);
                String next = adj != null ? adj : noun;
                if (det.equals("a") && "aeiou".indexOf(next.charAt(0)) >= 0) {
                    det = "an";
                }
                return det + (adj != null ? " " + adj : "") + " " + noun;
            }
            return pick(r, DETS_PLURAL) + (r.nextBoolean() ? " " + pick(r, ADJECTIVES) : "") + " "
                    + pick(r, NOUNS_PLURAL);
        }

        /** Subjects taking the verb's base form ("we review") and the third person singular ("the team reviews"). */
        static final String[] PLURAL_SUBJECTS = {
            "we", "they", "you", "people", "teams", "users", "most people", "our users", "our partners", "many teams",
            "some engineers", "our readers", "most students"};
        static final String[] SINGULAR_SUBJECTS = {
            "the team", "the company", "every customer", "each manager", "the new service", "this project",
            "the old system", "the support staff", "the board", "the product group", "a small team", "the client",
            "the market", "the city council"};

        static String pick(Random r, String[] from) {
            return from[r.nextInt(from.length)];
        }

        /** Distinct words of the vocabulary (for the report). */
        static int vocabularySize() {
            java.util.Set<String> all = new java.util.HashSet<>();
            for (String[] list : new String[][] {words(String.join(" ", PLURAL_SUBJECTS)), words(String.join(" ", SINGULAR_SUBJECTS)), AUXILIARIES, DETS_SINGULAR, DETS_PLURAL, ADJECTIVES, NOUNS_SINGULAR,
                    NOUNS_PLURAL, VERBS, ADVERBS, PREPOSITIONS, CONNECTORS, OPENERS}) {
                for (String w : list) {
                    all.add(w.toLowerCase(Locale.ROOT));
                }
            }
            all.add("an");
            for (String v : VERBS) {
                all.add(thirdPerson(v));
            }
            return all.size();
        }
    }

    /** The request body of {@code surface}: the long prompt as the system text, then the question. */
    static String body(String surface, String model, String systemPrompt) {
        return switch (surface) {
            case "responses" -> "{\"model\":" + jsonString(model) + ",\"instructions\":" + jsonString(systemPrompt)
                    + ",\"input\":" + jsonString(QUESTION) + ",\"max_output_tokens\":64}";
            case "messages" -> "{\"model\":" + jsonString(model) + ",\"system\":" + jsonString(systemPrompt)
                    + ",\"messages\":[{\"role\":\"user\",\"content\":" + jsonString(QUESTION)
                    + "}],\"max_tokens\":64}";
            default -> "{\"model\":" + jsonString(model) + ",\"messages\":[{\"role\":\"system\",\"content\":"
                    + jsonString(systemPrompt) + "},{\"role\":\"user\",\"content\":" + jsonString(QUESTION)
                    + "}],\"max_tokens\":64}";
        };
    }

    /** The API path of {@code surface} below the base URL. */
    static String pathOf(String surface) {
        return switch (surface) {
            case "responses" -> "/responses";
            case "messages" -> "/messages";
            default -> "/chat/completions";
        };
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Kinds and samples
    // ------------------------------------------------------------------------------------------------------------

    /** One kind of request: where it goes, its switch header, its bodies, and what the gateway must answer. */
    static final class Kind {
        final String name;
        final URI uri;
        final String switchValue; // null: no x-compression header (direct to the stub)
        final String expectedStatus; // prefix of x-compression-status, null: no check (direct)
        final String expectedCache; // x-compression-cache, null: no check (direct)
        final List<byte[]> bodies = new ArrayList<>();
        int next;
        final List<Sample> samples = new ArrayList<>();

        Kind(String name, URI uri, String switchValue, String expectedStatus, String expectedCache) {
            this.name = name;
            this.uri = uri;
            this.switchValue = switchValue;
            this.expectedStatus = expectedStatus;
            this.expectedCache = expectedCache;
        }

        byte[] nextBody() {
            byte[] b = bodies.get(next % bodies.size());
            next++;
            return b;
        }

        List<Sample> round(int round) {
            return samples.stream().filter(s -> s.round == round).toList();
        }
    }

    /** One measured request; {@code afterMiss}: the request just before it was a miss (model inference). */
    record Sample(int round, long nanos, int bodyBytes, String status, String cache, double headerLatencyMs,
            int originalTokens, int compressedTokens, boolean afterMiss) {
    }

    // ------------------------------------------------------------------------------------------------------------
    // Run
    // ------------------------------------------------------------------------------------------------------------

    final Map<String, String> opts;
    final HttpClient client;
    final Duration timeout;
    /** The kind of the previous request sent, warm-up included. */
    Kind previous;

    ChatBench(Map<String, String> opts) {
        this.opts = opts;
        this.timeout = Duration.ofSeconds(num(opts, "timeout", 120));
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static URI chatUri(String base, String surface) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(b + pathOf(surface));
    }

    int run(String argLine) throws Exception {
        String surface = opts.getOrDefault("surface", "chat");
        if (!List.of("chat", "responses", "messages").contains(surface)) {
            throw new IllegalArgumentException("--surface must be chat, responses or messages, got " + surface);
        }
        URI gateway = chatUri(opts.get("gateway"), surface);
        URI direct = opts.containsKey("direct") ? chatUri(opts.get("direct"), surface) : null;
        int requests = Math.max(1, num(opts, "requests", 100));
        int missRequests = Math.max(1, num(opts, "miss-requests", requests));
        int rounds = Math.max(1, num(opts, "rounds", 3));
        int warmup = Math.max(0, num(opts, "warmup", 2000));
        int missWarmup = Math.max(0, num(opts, "miss-warmup", 10));
        int promptChars = Math.max(100, num(opts, "prompt-chars", 11800));
        long seed = num(opts, "seed", 42);
        String model = opts.getOrDefault("model", "gpt-4o-mini");

        Kind baseline = new Kind("baseline", gateway, "off", "disabled", "none");
        Kind miss = new Kind("miss", gateway, "on", null, "miss");
        Kind hit = new Kind("hit", gateway, "on", null, "hit");
        Kind directKind = direct == null ? null : new Kind("direct", direct, null, null, null);

        // Every body is built before the first request: generating prose is not part of any latency.
        // Seed streams: baseline 1_000_000+i, miss 2_000_000+i (warm-up first), hit one prompt, direct = baseline's.
        long t0 = System.nanoTime();
        int baselineCount = warmup + rounds * requests;
        for (int i = 0; i < baselineCount; i++) {
            baseline.bodies.add(bytes(body(surface, model, Prose.of(seed * 10_000_000L + 1_000_000L + i, promptChars))));
        }
        for (int i = 0; i < missWarmup + rounds * missRequests; i++) {
            miss.bodies.add(bytes(body(surface, model, Prose.of(seed * 10_000_000L + 2_000_000L + i, promptChars))));
        }
        String fixedPrompt = Prose.of(seed * 10_000_000L + 3_000_000L, promptChars);
        hit.bodies.add(bytes(body(surface, model, fixedPrompt)));
        if (directKind != null) {
            directKind.bodies.addAll(baseline.bodies);
        }
        long genMs = (System.nanoTime() - t0) / 1_000_000;

        List<Kind> kinds = new ArrayList<>(List.of(baseline, miss, hit));
        if (directKind != null) {
            kinds.add(directKind);
        }

        System.out.println("== LinguaGate chat compression latency benchmark ==");
        System.out.println("client         : " + Runtime.version() + " " + System.getProperty("java.vm.name") + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs visible");
        for (String line : opts.getOrDefault("info", "").split("\n")) {
            if (!line.isBlank()) {
                System.out.println(line);
            }
        }
        System.out.println("gateway        : POST " + gateway + (direct == null ? "" : "   direct (stub): POST " + direct));
        System.out.printf(Locale.ROOT, "prompt         : system prompt of English-like prose, <= %d chars (%d-word "
                + "vocabulary, seed %d, no digits/URLs/code: one segment), then the user question \"%s\"; model %s%n",
                promptChars, Prose.vocabularySize(), seed, QUESTION, model);
        System.out.printf(Locale.ROOT, "plan           : warm-up %d baseline, %d hit%s, %d miss; then %d rounds x "
                + "(%d baseline, %d miss, %d hit%s), sequential (closed loop, one keep-alive connection), each "
                + "round's requests in a seeded random order; %d bodies generated in %d ms%n",
                warmup, warmup, directKind == null ? "" : ", " + warmup + " direct", missWarmup, rounds, requests,
                missRequests, requests, directKind == null ? "" : ", " + requests + " direct",
                baseline.bodies.size() + miss.bodies.size() + 1, genMs);
        System.out.println("load average   : " + loadAverage() + " (start)");
        System.out.println();
        System.out.println("sample system prompt (first 300 chars of the hit prompt):");
        System.out.println("  " + fixedPrompt.substring(0, Math.min(300, fixedPrompt.length())).replace("\n", "\n  ")
                + " ...");
        System.out.println();

        // Warm-up: the JIT compiles the gateway's paths, the hit prompt enters the segment cache.
        long w0 = System.nanoTime();
        Sample first = send(hit, -1, false);
        if (!first.cache().equals("miss") && !first.cache().equals("hit")) {
            throw new BenchFailure("the first hit-prompt request answered x-compression-cache: " + first.cache()
                    + " (status " + first.status() + "), expected miss (or hit from an earlier run)");
        }
        System.out.printf(Locale.ROOT, "-- warm-up: first hit-prompt request %s, cache %s, %.1f ms (compression "
                + "header %.0f ms), %d -> %d target tokens%n", first.status(), first.cache(), first.nanos() / 1e6,
                first.headerLatencyMs(), first.originalTokens(), first.compressedTokens());
        for (int i = 0; i < missWarmup; i++) {
            send(miss, -1, false);
        }
        for (int i = 0; i < warmup; i++) {
            send(baseline, -1, false);
            send(hit, -1, false);
            if (directKind != null) {
                send(directKind, -1, false);
            }
        }
        System.out.printf(Locale.ROOT, "-- warm-up done in %.1f s%n", (System.nanoTime() - w0) / 1e9);

        for (int r = 0; r < rounds; r++) {
            // Every request of the round in a seeded random order: drift, GC and the after-effects of a miss
            // (ONNX Runtime's threads, allocation) fall on all kinds alike.
            List<Kind> schedule = new ArrayList<>();
            for (Kind k : kinds) {
                for (int i = 0, n = k == miss ? missRequests : requests; i < n; i++) {
                    schedule.add(k);
                }
            }
            java.util.Collections.shuffle(schedule, new Random(seed * 31 + r));
            long r0 = System.nanoTime();
            for (Kind k : schedule) {
                send(k, r, true);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "   round %d (%d requests, %.1f s):",
                    r + 1, schedule.size(), (System.nanoTime() - r0) / 1e9));
            double base = p50(baseline.round(r));
            for (Kind k : kinds) {
                double p = p50(k.round(r));
                line.append(String.format(Locale.ROOT, "  %s p50 %.3f", k.name, p));
                if (k != baseline) {
                    line.append(String.format(Locale.ROOT, " (%+.3f)", p - base));
                }
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("load average   : " + loadAverage() + " (end)");
        System.out.println();
        print(kinds, baseline);
        System.out.println();
        System.out.println("reproduce      : " + opts.getOrDefault("reproduce", "java bench/ChatBench.java " + argLine));
        return 0;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One request, timed from just before sending to the last byte of the answer; checked; recorded if measured. */
    Sample send(Kind kind, int round, boolean record) throws IOException, InterruptedException {
        byte[] body = kind.nextBody();
        HttpRequest.Builder b = HttpRequest.newBuilder(kind.uri).timeout(timeout)
                .header("content-type", "application/json")
                .header("authorization", "Bearer sk-chat-bench")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (kind.switchValue != null) {
            b.header("x-compression", kind.switchValue);
        }
        HttpRequest request = b.build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long nanos = System.nanoTime() - start;
        String answer = new String(response.body(), StandardCharsets.UTF_8);
        String where = kind.name + " request (round " + (round < 0 ? "warm-up" : Integer.toString(round + 1)) + ")";
        if (response.statusCode() != 200 || !answer.contains("chat.completion")) {
            throw new BenchFailure(where + " answered " + response.statusCode() + ": " + abbreviate(answer));
        }
        var h = response.headers();
        String status = h.firstValue("x-compression-status").orElse("(none)");
        String cache = h.firstValue("x-compression-cache").orElse("(none)");
        double latency = h.firstValue("x-compression-latency-ms").map(Double::parseDouble).orElse(Double.NaN);
        int original = h.firstValue("x-compression-original-tokens").map(Integer::parseInt).orElse(-1);
        int compressed = h.firstValue("x-compression-compressed-tokens").map(Integer::parseInt).orElse(-1);
        if (kind.switchValue != null) {
            if (status.equals("(none)") || status.startsWith("failed-open")) {
                throw new BenchFailure(where + ": x-compression-status " + status
                        + " (a failed-open request measures the timeout, not compression)");
            }
            if (kind.expectedStatus != null && !status.startsWith(kind.expectedStatus)) {
                throw new BenchFailure(where + ": x-compression-status " + status + ", expected "
                        + kind.expectedStatus);
            }
            if (kind.expectedStatus == null && !status.startsWith("applied") && !status.startsWith("skipped:no-gain")) {
                throw new BenchFailure(where + ": x-compression-status " + status
                        + ", expected applied (or skipped:no-gain): the prompt was not compressed");
            }
            // The very first hit-prompt request is the one that fills the cache.
            boolean firstHitPrompt = kind.name.equals("hit") && kind.next == 1;
            if (!firstHitPrompt && !cache.equals(kind.expectedCache)) {
                throw new BenchFailure(where + ": x-compression-cache " + cache + ", expected " + kind.expectedCache
                        + " (status " + status + ")" + (kind.expectedCache.equals("miss")
                        ? "; a gateway that already saw this --seed's prompts answers from its cache: use another"
                        + " --seed or restart it" : ""));
            }
        }
        boolean afterMiss = previous != null && previous.name.equals("miss");
        previous = kind;
        Sample s = new Sample(round, nanos, body.length, status, cache, latency, original, compressed, afterMiss);
        if (record) {
            kind.samples.add(s);
        }
        return s;
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static String loadAverage() {
        double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f (1 min)", l);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Report
    // ------------------------------------------------------------------------------------------------------------

    static double[] sortedMs(List<Sample> samples) {
        double[] ms = samples.stream().mapToDouble(s -> s.nanos() / 1e6).toArray();
        Arrays.sort(ms);
        return ms;
    }

    /** Nearest-rank percentile of sorted values. */
    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double p50(List<Sample> samples) {
        return pct(sortedMs(samples), 50);
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    static void print(List<Kind> kinds, Kind baseline) {
        double[] base = sortedMs(baseline.samples);
        double baseP50 = pct(base, 50);
        double baseMean = mean(base);
        System.out.println("latency per request, ms (client side, whole answer read); added = kind - baseline, "
                + "same run");
        System.out.printf(Locale.ROOT, "%-9s %5s %9s %9s %9s %9s %11s %11s %8s %12s%n", "kind", "n", "p50", "p90",
                "mean", "max", "added p50", "added mean", "x p50", "hdr lat mean");
        for (Kind k : kinds) {
            double[] ms = sortedMs(k.samples);
            double hdr = k.samples.stream().mapToDouble(Sample::headerLatencyMs).filter(d -> !Double.isNaN(d))
                    .average().orElse(Double.NaN);
            boolean isBase = k == baseline;
            System.out.printf(Locale.ROOT, "%-9s %5d %9.3f %9.3f %9.3f %9.3f %11s %11s %8s %12s%n", k.name, ms.length,
                    pct(ms, 50), pct(ms, 90), mean(ms), pct(ms, 100),
                    isBase ? "-" : String.format(Locale.ROOT, "%+.3f", pct(ms, 50) - baseP50),
                    isBase ? "-" : String.format(Locale.ROOT, "%+.3f", mean(ms) - baseMean),
                    isBase ? "-" : String.format(Locale.ROOT, "%.2fx", pct(ms, 50) / baseP50),
                    Double.isNaN(hdr) ? "-" : String.format(Locale.ROOT, "%.2f", hdr));
        }
        System.out.println();
        System.out.println("gateway headers per kind");
        System.out.printf(Locale.ROOT, "%-9s %-34s %-16s %-22s %-12s %s%n", "kind", "x-compression-status",
                "x-compression-cache", "original tokens min/mean/max", "compressed", "body bytes min/max");
        for (Kind k : kinds) {
            TreeMap<String, Integer> statuses = new TreeMap<>();
            TreeMap<String, Integer> caches = new TreeMap<>();
            for (Sample s : k.samples) {
                statuses.merge(s.status(), 1, Integer::sum);
                caches.merge(s.cache(), 1, Integer::sum);
            }
            var orig = k.samples.stream().mapToInt(Sample::originalTokens).summaryStatistics();
            var comp = k.samples.stream().mapToInt(Sample::compressedTokens).summaryStatistics();
            var size = k.samples.stream().mapToInt(Sample::bodyBytes).summaryStatistics();
            boolean none = orig.getMax() < 0;
            System.out.printf(Locale.ROOT, "%-9s %-34s %-16s %-22s %-12s %d/%d%n", k.name, counts(statuses),
                    counts(caches),
                    none ? "-" : String.format(Locale.ROOT, "%d/%.0f/%d", orig.getMin(), orig.getAverage(),
                            orig.getMax()),
                    none ? "-" : String.format(Locale.ROOT, "mean %.0f", comp.getAverage()),
                    size.getMin(), size.getMax());
        }
        System.out.println();
        System.out.println("right after a miss (the previous request ran the model) vs. all other requests, p50 ms");
        for (Kind k : kinds) {
            List<Sample> after = k.samples.stream().filter(Sample::afterMiss).toList();
            List<Sample> other = k.samples.stream().filter(x -> !x.afterMiss()).toList();
            System.out.printf(Locale.ROOT, "%-9s after a miss: n %4d p50 %9.3f   otherwise: n %4d p50 %9.3f%n", k.name,
                    after.size(), p50(after), other.size(), p50(other));
        }
        System.out.println();
        System.out.println("hdr lat = mean of x-compression-latency-ms (whole milliseconds, truncated: under-reads "
                + "by ~0.5 ms on average); x p50 = p50 / baseline p50");
    }

    static String counts(TreeMap<String, Integer> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(" ").append(v));
        return b.toString();
    }
}
