package io.linguagate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.linguagate.support.LogCapture;
import io.linguagate.support.RawUpstream;
import io.linguagate.support.RawUpstream.Exchange;
import io.linguagate.support.ReadBody;
import io.linguagate.support.TinyModelResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream misbehaves in every way a raw socket allows; for each fault, streaming or not, compression on or
 * off, the client gets a definite answer in bounded time (its own answer, an honest cut, or an OpenAI-shaped 5xx),
 * the next normal request gets its own answer, the in-flight gauge returns to 0, and no stack trace is logged.
 */
@QuarkusTest
@TestProfile(UpstreamFaultSuiteTest.Faults.class)
class UpstreamFaultSuiteTest {

    public static class Faults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("linguagate.upstream.timeout", "2s"),
                    Map.entry("linguagate.upstream.stream-idle-timeout", "1s"),
                    Map.entry("linguagate.upstream.error-body-timeout", "1s"),
                    Map.entry("linguagate.upstream.retry.initial-delay", "10ms"),
                    // Faults by the dozen would open it, and every later case would see 503.
                    Map.entry("linguagate.upstream.circuit-breaker.enabled", "false"),
                    Map.entry("linguagate.compression.min-tokens", "20"),
                    // HostileInputTest shares this gateway: tight limits it can reach cheaply.
                    Map.entry("linguagate.client-body-timeout", "1s"),
                    Map.entry("linguagate.compress.max-tokens", "300"),
                    Map.entry("linguagate.compress.timeout", "1ms"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RawUpstream.class),
                    new TestResourceEntry(TinyModelResource.class, Map.of("keep", "ship=0.9,notes=0.8")));
        }
    }

    /** What the client must see. */
    enum Seen {
        /** 200 with its own answer (an interim reply was consumed). */
        OWN_ANSWER,
        /** The body breaks off visibly: a read error, after an SSE {@code event: error} on streams. */
        CUT,
        /** 502 {@code upstream_bad_response}: the upstream spoke no valid HTTP. */
        BAD_RESPONSE,
        /** A stream whose head may or may not have gone out when the framing broke: either is honest. */
        BAD_RESPONSE_OR_CUT,
        /** 502 {@code upstream_connection_error}: the connection broke before any body byte. */
        BROKEN,
        /** 504 {@code upstream_timeout}. */
        TIMEOUT,
        /** The upstream's 500, relayed with its whole body. */
        RELAYED_500
    }

    record Fault(String name, RawUpstream.Script script, Seen plain, Seen streaming, long withinMillis) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String LONG_SYSTEM = "we will ship the notes on Monday. ".repeat(8);
    private static final byte[] BIG_ERROR = "e".repeat(6 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);

    private static String contentType(Exchange ex) {
        return ex.streaming() ? "text/event-stream" : "application/json";
    }

    private static byte[] body(Exchange ex) {
        return (ex.streaming() ? RawUpstream.eventsFor(ex.client()) : RawUpstream.answerFor(ex.client()))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Headers with a Content-Length, then half the body, then {@code end}. */
    private static RawUpstream.Script halfBodyThen(boolean rst) {
        return ex -> {
            byte[] body = body(ex);
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + contentType(ex) + "\r\ncontent-length: " + body.length
                    + "\r\n\r\n");
            ex.write(Arrays.copyOf(body, body.length / 2));
            Thread.sleep(50);
            if (rst) {
                ex.reset();
            } else {
                ex.fin();
            }
        };
    }

    private static RawUpstream.Script interim(String statusLine) {
        return ex -> {
            ex.write("HTTP/1.1 " + statusLine + "\r\n\r\n");
            Thread.sleep(300);
            RawUpstream.normal(ex);
        };
    }

    static List<Fault> faults() {
        List<Fault> all = new ArrayList<>();
        for (String interim : List.of("102 Processing", "104 Upload Resumption Supported", "199 Whatever",
                "100 Continue", "103 Early Hints")) {
            all.add(new Fault("interim " + interim, interim(interim), Seen.OWN_ANSWER, Seen.OWN_ANSWER, 3000));
        }
        all.add(new Fault("unasked 101", ex -> ex.write("HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n"
                + "connection: upgrade\r\n\r\nPRI * HTTP/2.0\r\n"), Seen.BAD_RESPONSE, Seen.BAD_RESPONSE, 3000));
        all.add(new Fault("102 then silence", ex -> {
            ex.write("HTTP/1.1 102 Processing\r\n\r\n");
            Thread.sleep(10_000);
        }, Seen.TIMEOUT, Seen.TIMEOUT, 4000));
        all.add(new Fault("reset after headers", ex -> {
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + contentType(ex) + "\r\ncontent-length: 500\r\n\r\n");
            Thread.sleep(50);
            ex.reset();
        }, Seen.BROKEN, Seen.CUT, 3000));
        all.add(new Fault("half a body then FIN", halfBodyThen(false), Seen.CUT, Seen.CUT, 3000));
        all.add(new Fault("half a body then RST", halfBodyThen(true), Seen.CUT, Seen.CUT, 3000));
        all.add(new Fault("silent after the first bytes", ex -> {
            byte[] body = body(ex);
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + contentType(ex) + "\r\ntransfer-encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length / 2) + "\r\n");
            ex.write(Arrays.copyOf(body, body.length / 2));
            ex.write("\r\n");
            Thread.sleep(10_000);
        }, Seen.CUT, Seen.CUT, 4500));
        all.add(new Fault("bad chunk framing", ex -> {
            byte[] body = body(ex);
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + contentType(ex) + "\r\ntransfer-encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length / 2) + "\r\n");
            ex.write(Arrays.copyOf(body, body.length / 2));
            ex.write("\r\n");
            // Let the first half reach the client before the framing breaks.
            Thread.sleep(200);
            ex.write("zz-not-a-size\r\n\r\n");
            Thread.sleep(2000);
        }, Seen.CUT, Seen.CUT, 3000));
        all.add(new Fault("bad chunk size right after the headers", ex -> {
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: " + contentType(ex)
                    + "\r\ntransfer-encoding: chunked\r\n\r\nxyz\r\n\r\n");
            Thread.sleep(2000);
        }, Seen.BAD_RESPONSE, Seen.BAD_RESPONSE_OR_CUT, 3000));
        all.add(new Fault("garbage status line", ex -> {
            ex.write("HTTP/1.1 abc\r\ncontent-length: 2\r\n\r\n{}");
            Thread.sleep(2000);
        }, Seen.BAD_RESPONSE, Seen.BAD_RESPONSE, 3000));
        all.add(new Fault("SSH banner", ex -> {
            ex.write("SSH-2.0-OpenSSH_9.6\r\n");
            Thread.sleep(2000);
        }, Seen.BAD_RESPONSE, Seen.BAD_RESPONSE, 3000));
        all.add(new Fault("200 KB header", ex -> {
            ex.write("HTTP/1.1 200 OK\r\nx-huge: " + "h".repeat(200 * 1024) + "\r\ncontent-length: 2\r\n\r\n{}");
            Thread.sleep(2000);
        }, Seen.BAD_RESPONSE, Seen.BAD_RESPONSE, 3000));
        all.add(new Fault("bare CR in a header", ex -> {
            ex.write("HTTP/1.1 200 OK\r\nx-odd: a\rb\r\ncontent-length: 2\r\n\r\n{}");
            Thread.sleep(2000);
        }, Seen.BAD_RESPONSE, Seen.BAD_RESPONSE, 3000));
        all.add(new Fault("chunked 500 larger than the replay buffer", ex -> {
            ex.write("HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n"
                    + "transfer-encoding: chunked\r\n\r\n");
            for (int off = 0; off < BIG_ERROR.length; off += 64 * 1024) {
                ex.write(Integer.toHexString(64 * 1024) + "\r\n");
                ex.write(Arrays.copyOfRange(BIG_ERROR, off, off + 64 * 1024));
                ex.write("\r\n");
            }
            ex.write("0\r\n\r\n");
        }, Seen.RELAYED_500, Seen.RELAYED_500, 4000));
        all.add(new Fault("500 dripped a byte at a time", ex -> {
            ex.write("HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n"
                    + "transfer-encoding: chunked\r\n\r\n");
            for (int i = 0; i < 20; i++) {
                ex.write("1\r\ne\r\n");
                Thread.sleep(100);
            }
            ex.write("0\r\n\r\n");
        }, Seen.RELAYED_500, Seen.RELAYED_500, 4000));
        return all;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Fault fault : faults()) {
            for (boolean streaming : new boolean[] {false, true}) {
                for (boolean compression : new boolean[] {false, true}) {
                    cases.add(Arguments.of(fault, streaming, compression));
                }
            }
        }
        return cases.stream();
    }

    @RawUpstream.Inject
    RawUpstream upstream;

    @TestHTTPResource("/")
    URI gateway;

    private static LogCapture log;
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void capture() {
        log = LogCapture.install();
    }

    @AfterAll
    static void release() {
        log.close();
    }

    @BeforeEach
    void scripts() {
        for (Fault fault : faults()) {
            upstream.fault(fault.name(), fault.script());
        }
    }

    @ParameterizedTest(name = "{0}, streaming={1}, compression={2}")
    @MethodSource("cases")
    void theClientGetsADefiniteAnswerAndTheGatewayRecovers(Fault fault, boolean streaming, boolean compression)
            throws Exception {
        int logLines = log.lines().size();
        String alice = "alice-" + CLIENTS.incrementAndGet();
        Seen expected = streaming ? fault.streaming() : fault.plain();

        Answer answer = chat(alice, fault.name(), streaming, compression);

        assertTrue(answer.millis() <= fault.withinMillis(), "took " + answer.millis() + " ms: " + answer);
        switch (expected) {
            case OWN_ANSWER -> {
                assertEquals(200, answer.status(), answer.toString());
                assertFalse(answer.cut(), answer.toString());
                assertTrue(answer.body().contains(alice), answer.toString());
                assertEquals(compression ? "applied" : "disabled", answer.compression(), answer.toString());
            }
            case CUT -> assertCut(answer, streaming);
            case BAD_RESPONSE -> assertError(answer, 502, "upstream_bad_response");
            case BAD_RESPONSE_OR_CUT -> {
                if (answer.status() == 502) {
                    assertError(answer, 502, "upstream_bad_response");
                } else {
                    assertCut(answer, streaming);
                }
            }
            case BROKEN -> assertError(answer, 502, "upstream_connection_error");
            case TIMEOUT -> assertError(answer, 504, "upstream_timeout");
            case RELAYED_500 -> {
                assertEquals(500, answer.status(), answer.toString());
                assertFalse(answer.cut(), answer.toString());
                assertTrue(answer.body().startsWith("eeee") && answer.body().chars().allMatch(c -> c == 'e'),
                        answer.toString());
            }
        }

        // The next client gets its own answer, never a leftover of the faulty exchange.
        String bob = "bob-" + CLIENTS.incrementAndGet();
        Answer next = chat(bob, null, streaming, compression);
        assertEquals(200, next.status(), next.toString());
        assertFalse(next.cut(), next.toString());
        assertTrue(next.body().contains(bob) && !next.body().contains(alice), next.toString());
        Answer models = send(HttpRequest.newBuilder(gateway.resolve("v1/models")).header("x-client", bob).GET());
        assertEquals(RawUpstream.answerFor(bob), models.body());

        awaitNothingInFlight();
        List<String> traces = log.lines().subList(logLines, log.lines().size()).stream()
                .filter(LogCapture::hasStackTrace).toList();
        assertEquals(List.of(), traces, "no stack trace for an upstream fault");
    }

    @Test
    void aPooledConnectionTheUpstreamClosedUnderTheRequestIsRetriedOnceOnANewConnection() throws Exception {
        AtomicInteger closedUnused = new AtomicInteger();
        upstream.fault("stale", ex -> {
            if (ex.earlier() > 0) {
                closedUnused.incrementAndGet();
                ex.fin(); // as an upstream closing an idle keep-alive connection just as the request arrives
            } else {
                RawUpstream.normal(ex);
            }
        });
        // A connection that carried an exchange sits in the pool.
        assertEquals(200, chat("carol-warm", null, false, false).status());

        Answer answer = chat("carol", "stale", false, false);
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.body().contains("carol"), answer.toString());
        assertEquals(1, closedUnused.get());

        // A connection that fails on its first use is not stale: that failure is the answer (no second resend).
        AtomicInteger attempts = new AtomicInteger();
        upstream.fault("always-closes", ex -> {
            attempts.incrementAndGet();
            ex.fin();
        });
        assertEquals(200, chat("carol-warm", null, false, false).status());
        Answer broken = chat("dave", "always-closes", false, false);
        assertError(broken, 502, "upstream_connection_error");
        assertEquals(2, attempts.get(), "the pooled try and one resend on a new connection");
        awaitNothingInFlight();
    }

    @Test
    void aClientThatLeavesWhileAnErrorBodyDripsClosesTheUpstreamConnection() throws Exception {
        CompletableFuture<Long> upstreamSawClose = new CompletableFuture<>();
        upstream.fault("drip-until-closed", ex -> {
            ex.write("HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n1\r\ne\r\n");
            long start = System.nanoTime();
            ex.socket().setSoTimeout(10_000);
            int read = ex.socket().getInputStream().read(); // -1 once the gateway hangs up
            upstreamSawClose.complete(read < 0 ? (System.nanoTime() - start) / 1_000_000 : -1L);
        });
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("v1/models")).header("x-fault",
                "drip-until-closed").timeout(Duration.ofMillis(300)).GET().build();
        assertThrows(HttpTimeoutException.class,
                () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        long millis = upstreamSawClose.get(5, TimeUnit.SECONDS);
        // Before error-body-timeout (1 s) ends the hold: the hold itself must notice that the client left.
        assertTrue(millis >= 0 && millis < 900, "the upstream connection was closed after " + millis + " ms");
        awaitNothingInFlight();
    }

    @Test
    void manyExchangesAtOnceEachGetTheirOwnUpstreamConnection() throws Exception {
        int streams = 24; // well above Vert.x's default pool of 5: the configured pool size must be in force
        CountDownLatch release = new CountDownLatch(1);
        upstream.fault("held", ex -> {
            ex.write("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n");
            byte[] event = RawUpstream.eventsFor(ex.client()).getBytes(StandardCharsets.UTF_8);
            ex.write(Integer.toHexString(event.length) + "\r\n");
            ex.write(event);
            ex.write("\r\n");
            release.await(10, TimeUnit.SECONDS);
            ex.write("0\r\n\r\n");
        });
        List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(http.sendAsync(HttpRequest.newBuilder(gateway.resolve("v1/chat/completions"))
                    .header("content-type", "application/json").header("x-fault", "held")
                    .header("x-client", "many-" + i).header("x-compression", "off")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"messages\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        try {
            for (CompletableFuture<HttpResponse<InputStream>> response : open) {
                // Every stream's headers arrive while all of them are still open upstream.
                assertEquals(200, response.get(5, TimeUnit.SECONDS).statusCode());
            }
        } finally {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<InputStream>> response : open) {
            try (InputStream in = response.get().body()) {
                in.readAllBytes();
            }
        }
        awaitNothingInFlight();
    }

    @Test
    void a429GoesBackToTheClientAtOnceByDefault() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        upstream.fault("rate-limited", ex -> {
            attempts.incrementAndGet();
            ex.write("HTTP/1.1 429 Too Many Requests\r\nretry-after: 0\r\ncontent-length: 2\r\n\r\n{}");
        });
        Answer answer = chat("gina", "rate-limited", false, false);
        assertEquals(429, answer.status(), answer.toString());
        assertEquals(1, attempts.get(), "the client's SDK backs off; the gateway must not multiply its retries");
    }

    @Test
    void interimRepliesOnPassthroughCallsAreConsumedToo() throws Exception {
        for (String interim : List.of("102 Processing", "199 Whatever")) {
            String client = "erin-" + CLIENTS.incrementAndGet();
            upstream.fault("interim-" + interim, interim(interim));
            Answer answer = send(HttpRequest.newBuilder(gateway.resolve("v1/models")).header("x-client", client)
                    .header("x-fault", "interim-" + interim).GET());
            assertEquals(200, answer.status(), answer.toString());
            assertEquals(RawUpstream.answerFor(client), answer.body());
            String next = "frank-" + CLIENTS.incrementAndGet();
            assertEquals(RawUpstream.answerFor(next), send(HttpRequest.newBuilder(gateway.resolve("v1/models"))
                    .header("x-client", next).GET()).body());
        }
        awaitNothingInFlight();
    }

    private static void assertCut(Answer answer, boolean streaming) {
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.cut(), "the client must see the cut: " + answer);
        assertEquals(streaming, answer.body().contains("event: error"), answer.toString());
        assertFalse(answer.body().contains("[DONE]"), answer.toString());
    }

    private static void assertError(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(answer.body().contains("\"code\":\"" + code + "\""), answer.toString());
        assertFalse(answer.cut(), answer.toString());
    }

    private Answer chat(String client, String fault, boolean streaming, boolean compression) throws Exception {
        String body = "{\"model\":\"gpt-4o\",\"stream\":" + streaming + ",\"messages\":[{\"role\":\"system\","
                + "\"content\":\"" + LONG_SYSTEM + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve("v1/chat/completions"))
                .header("content-type", "application/json").header("x-client", client)
                .header("x-compression", compression ? "on" : "off")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (fault != null) {
            request.header("x-fault", fault);
        }
        return send(request);
    }

    record Answer(int status, String body, boolean cut, long millis, String compression) {
        @Override
        public String toString() {
            String shown = body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + " chars)" : body;
            return "status " + status + (cut ? " cut" : "") + " after " + millis + " ms, compression " + compression
                    + ": " + shown;
        }
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request.timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        ReadBody body = ReadBody.of(response.body());
        return new Answer(response.statusCode(), body.text(), body.cut(), (System.nanoTime() - start) / 1_000_000,
                response.headers().firstValue("x-compression-status").orElse(null));
    }

    private void awaitNothingInFlight() throws Exception {
        Pattern gauge = Pattern.compile("(?m)^linguagate_requests_in_flight\\S* (\\S+)$");
        String last = "";
        for (int i = 0; i < 60; i++) {
            String metrics = send(HttpRequest.newBuilder(gateway.resolve("q/metrics")).GET()).body();
            Matcher m = gauge.matcher(metrics);
            if (m.find()) {
                last = m.group(1);
                if (Double.parseDouble(last) == 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        fail("requests still in flight: " + last);
    }
}
