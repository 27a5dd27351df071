package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.support.LogCapture;
import io.linguagate.support.RawUpstream;
import io.linguagate.support.TinyModelResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated bodies per endpoint, from valid to absurd: wrong types, odd numbers, duplicate keys,
 * truncated JSON, tags good and bad, lone surrogates, CJK, emoji, JSON and code inside texts, random per-request
 * controls. Every answer must be a 2xx or an OpenAI-shaped 4xx, never a 5xx, within 10 s, and nothing may be logged
 * with a stack trace. Seeded ({@code -Dfuzz.seed=N} replays a run; the seed is in every failure message).
 */
@QuarkusTest
@TestProfile(FuzzTest.Fuzz.class)
class FuzzTest {

    public static class Fuzz implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linguagate.compression.min-tokens", "20", "linguagate.upstream.timeout", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RawUpstream.class),
                    new TestResourceEntry(TinyModelResource.class, Map.of("keep", "ship=0.9,notes=0.8,Monday=0.95")));
        }
    }

    static final int BODIES_PER_ENDPOINT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void generatedChatAndCompressBodiesNeverGetA5xxNorATrace() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        Generator gen = new Generator(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (LogCapture log = LogCapture.install()) {
            for (int i = 0; i < BODIES_PER_ENDPOINT; i++) {
                check(seed, i, "v1/chat/completions", gen.chatBody(), gen.headers(), statuses);
                check(seed, i, "v1/compress", gen.compressBody(), Map.of(), statuses);
            }
            List<String> traces = log.lines().stream().filter(LogCapture::hasStackTrace).toList();
            assertEquals(List.of(), traces, "seed " + seed);
        }
        // The generator must reach both sides, or the test proves little.
        assertTrue(statuses.getOrDefault(200, 0) > BODIES_PER_ENDPOINT / 10, "seed " + seed + ": " + statuses);
        assertTrue(statuses.getOrDefault(400, 0) > BODIES_PER_ENDPOINT / 10, "seed " + seed + ": " + statuses);
    }

    private void check(long seed, int i, String path, String body, Map<String, String> headers,
            Map<Integer, Integer> statuses) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            fail("seed " + seed + " #" + i + " " + path + ": no answer within 10 s for " + shorten(body));
            return;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        String where = "seed " + seed + " #" + i + " " + path + " " + headers + " " + shorten(body) + " → " + status
                + " " + shorten(response.body());
        assertTrue(status < 500, where);
        assertTrue(millis < 10_000, where + " took " + millis + " ms");
        if (status >= 400) {
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertTrue(error.path("message").isTextual() && error.path("type").isTextual()
                    && error.has("param") && error.has("code"), "not OpenAI's error shape: " + where);
        }
    }

    private static String shorten(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…(" + s.length() + ")" : s;
    }

    /** Writes JSON text by hand, so it can also write what no JSON library would. */
    static final class Generator {
        private static final String[] WORDS = {"we", "will", "ship", "the", "notes", "on", "Monday", ".", "Zoë",
                "東京", "🎉", "state-of-the-art", "3.75", "-3.5%", "$4.2M", "12 kg", "2024-01-05", "10:30", "v1.2.3",
                "TCK-4100", "https://example.com/a?b=1", "ops@northwind.example", "`code`", "```js\nx()\n```",
                "{\"k\":[1,2,{\"v\":null}]}", "\n", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000", "\\t",
                "<llmlingua, rate=0.4>", "<llmlingua, compress=False>", "</llmlingua>", "<llmlingua, rate=7>",
                "<llmlingua", "?", "!", "Ünïcödé", "ــ", "🇫🇷"};
        private static final String[] ROLES = {"system", "developer", "user", "assistant", "tool", "function",
                "moderator", ""};
        private static final String[] NUMBERS = {"0", "-1", "0.5", "1", "1e0", "2", "1e9999999999",
                "1e-9999999999", "-0.0", "0.00000001", "12345678901234567890", "NaN", "Infinity", "1.", ".5"};
        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        Map<String, String> headers() {
            Map<String, String> headers = new TreeMap<>();
            if (random.nextInt(4) == 0) {
                headers.put("x-compression", pick("on", "off", "OFF", "maybe", ""));
            }
            if (random.nextInt(4) == 0) {
                headers.put("x-compression-rate", pick(NUMBERS));
            }
            return headers;
        }

        String chatBody() {
            switch (random.nextInt(20)) {
                case 0:
                    return value(2);
                case 1:
                    return truncate(chatObject());
                default:
                    return chatObject();
            }
        }

        String compressBody() {
            switch (random.nextInt(20)) {
                case 0:
                    return value(2);
                case 1:
                    return truncate(compressObject());
                default:
                    return compressObject();
            }
        }

        private String chatObject() {
            List<String> fields = new ArrayList<>();
            if (random.nextInt(10) > 0) {
                fields.add("\"model\":" + (random.nextInt(8) > 0 ? string(pick("gpt-4o", "gpt-4o-mini", "o3",
                        "claude-x", "")) : value(1)));
            }
            if (random.nextInt(12) > 0) {
                fields.add("\"messages\":" + (random.nextInt(12) > 0 ? messages() : value(1)));
            }
            if (random.nextInt(3) == 0) {
                fields.add("\"stream\":" + pick("true", "false", "\"yes\"", "1"));
            }
            if (random.nextInt(3) == 0) {
                fields.add("\"compression\":" + (random.nextInt(6) > 0 ? compressionField() : value(1)));
            }
            if (random.nextInt(5) == 0) {
                fields.add("\"" + pick("temperature", "max_tokens", "x", "metadata") + "\":" + value(2));
            }
            if (random.nextInt(25) == 0 && !fields.isEmpty()) {
                fields.add(fields.get(0)); // a duplicate key
            }
            return "{" + String.join(",", shuffled(fields)) + "}";
        }

        private String messages() {
            List<String> messages = new ArrayList<>();
            int n = random.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(15) == 0) {
                    messages.add(value(1));
                    continue;
                }
                List<String> fields = new ArrayList<>();
                fields.add("\"role\":" + (random.nextInt(15) > 0 ? string(pick(ROLES)) : value(0)));
                fields.add("\"content\":" + switch (random.nextInt(6)) {
                    case 0 -> "[" + part() + (random.nextBoolean() ? "," + part() : "") + "]";
                    case 1 -> value(1);
                    default -> text(random.nextInt(3) == 0 ? 80 : 12);
                });
                messages.add("{" + String.join(",", fields) + "}");
            }
            return "[" + String.join(",", messages) + "]";
        }

        private String part() {
            return switch (random.nextInt(4)) {
                case 0 -> "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/x.png\"}}";
                case 1 -> value(1);
                default -> "{\"type\":\"text\",\"text\":" + text(random.nextInt(3) == 0 ? 60 : 10) + "}";
            };
        }

        private String compressionField() {
            List<String> fields = new ArrayList<>();
            if (random.nextBoolean()) {
                fields.add("\"enabled\":" + pick("true", "false", "\"no\"", "null"));
            }
            if (random.nextBoolean()) {
                fields.add("\"rate\":" + (random.nextInt(5) > 0 ? pick(NUMBERS) : value(0)));
            }
            if (random.nextInt(4) == 0) {
                fields.add("\"target_token\":" + pick("10", "-5", "0", "1e3", "\"x\""));
            }
            if (random.nextInt(4) == 0) {
                fields.add("\"force_tokens\":" + pick("[\"\\n\",\"?\"]", "[1,2]", "\"x\"", "[]"));
            }
            if (random.nextInt(4) == 0) {
                fields.add("\"roles\":" + pick("[\"system\"]", "{\"system\":0.3,\"tool\":false}", "{\"user\":7}",
                        "[3]", "\"all\""));
            }
            if (random.nextInt(6) == 0) {
                fields.add("\"" + pick("bogus", "Rate", "") + "\":1");
            }
            return "{" + String.join(",", fields) + "}";
        }

        private String compressObject() {
            List<String> fields = new ArrayList<>();
            if (random.nextInt(10) > 0) {
                fields.add("\"prompt\":" + switch (random.nextInt(6)) {
                    case 0 -> "[" + text(20) + "," + text(20) + "]";
                    case 1 -> value(1);
                    default -> text(random.nextInt(3) == 0 ? 120 : 20);
                });
            }
            String[] options = {"rate", "target_token", "force_tokens", "force_reserve_digit", "drop_consecutive",
                    "token_to_word", "chunk_end_tokens", "use_context_level_filter", "use_token_level_filter",
                    "context_level_rate", "target_context", "force_context_ids", "return_word_label", "word_sep",
                    "label_sep", "return_words", "model", "encoding", "unknown_option"};
            int n = random.nextInt(4);
            for (int i = 0; i < n; i++) {
                String option = pick(options);
                fields.add("\"" + option + "\":" + switch (random.nextInt(4)) {
                    case 0 -> pick(NUMBERS);
                    case 1 -> pick("true", "false", "null", "\"mean\"", "\"first\"", "\"gpt-4o\"", "\"o200k_base\"",
                            "\"nope\"", "[\"\\n\"]", "[0]", "[-1,99]");
                    default -> value(1);
                });
            }
            return "{" + String.join(",", shuffled(fields)) + "}";
        }

        /** A JSON string of about {@code words} words drawn from content users send. */
        private String text(int words) {
            StringBuilder sb = new StringBuilder("\"");
            int n = 1 + random.nextInt(words);
            for (int i = 0; i < n; i++) {
                String word = pick(WORDS);
                sb.append(word.replace("\"", "\\\"").replace("\n", "\\n"));
                sb.append(random.nextInt(5) == 0 ? "" : " ");
            }
            return sb.append('"').toString();
        }

        /** Any JSON value, nested up to {@code depth}. */
        private String value(int depth) {
            int kind = random.nextInt(depth > 0 ? 7 : 5);
            return switch (kind) {
                case 0 -> pick(NUMBERS);
                case 1 -> pick("true", "false", "null");
                case 2 -> text(4);
                case 3 -> "\"\"";
                case 4 -> pick("{}", "[]", "[[[]]]");
                case 5 -> "[" + value(depth - 1) + "," + value(depth - 1) + "]";
                default -> "{\"" + pick("a", "messages", "prompt", "") + "\":" + value(depth - 1) + "}";
            };
        }

        private String truncate(String json) {
            return json.substring(0, random.nextInt(Math.max(1, json.length())));
        }

        private String string(String s) {
            return "\"" + s + "\"";
        }

        private List<String> shuffled(List<String> items) {
            List<String> copy = new ArrayList<>(items);
            java.util.Collections.shuffle(copy, random);
            return copy;
        }

        private String pick(String... options) {
            return options[random.nextInt(options.length)];
        }
    }
}
