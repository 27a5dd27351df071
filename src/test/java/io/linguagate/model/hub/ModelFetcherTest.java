package io.linguagate.model.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelDirectory;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.hub.FakeHub.Fault;
import io.linguagate.model.hub.FetchedModel.Weights;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFetcherTest {

    static final String MODEL = "acme/llmlingua-2-tiny-meetingbank";
    static final String TOKEN = "hf_TESTsecretTOKENvalue0123456789";
    static final byte[] CONFIG = "{\"model_type\":\"bert\",\"vocab_size\":32}".getBytes(StandardCharsets.UTF_8);
    static final byte[] TOKENIZER = "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}"
            .getBytes(StandardCharsets.UTF_8);
    /** Above the 10 MB progress-logging threshold. */
    static final byte[] WEIGHTS = bytes(11 * 1024 * 1024 + 12345, 1);
    static final byte[] ONNX = bytes(300_000, 2);
    static final byte[] ONNX_DATA = bytes(2_000_000, 3);

    @TempDir
    Path cache;

    FakeHub hub;
    final ModelFetcher fetcher = new ModelFetcher(1, Duration.ofMillis(10), true);
    final List<String> logs = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    private final Logger packageLogger = Logger.getLogger("io.linguagate.model.hub");
    private Level previousLevel;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String text = record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage();
            synchronized (logs) {
                logs.add(record.getLevel() + " " + text);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        hub = new FakeHub(MODEL);
        previousLevel = packageLogger.getLevel();
        packageLogger.setLevel(Level.ALL);
        packageLogger.addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        hub.close();
        packageLogger.removeHandler(capture);
        packageLogger.setLevel(previousLevel);
        // The token, and the storage host's signed-URL signature, never show up anywhere.
        List<String> everything = new ArrayList<>(messages);
        synchronized (logs) {
            everything.addAll(logs);
        }
        for (String line : everything) {
            assertFalse(line.contains(TOKEN), () -> "token leaked: " + line);
            assertFalse(line.contains(FakeHub.SIGNATURE), () -> "signed URL leaked: " + line);
        }
    }

    // ---------------------------------------------------------------- happy paths

    @Test
    void fetchesASafetensorsRepositoryThroughTheCdnRedirect() throws IOException {
        safetensorsRepo();
        FetchedModel model = fetcher.fetch(source(null));

        Path dir = cache.resolve("acme--llmlingua-2-tiny-meetingbank").resolve("main");
        assertEquals(dir, model.directory());
        assertEquals(Weights.SAFETENSORS, model.weights());
        assertEquals(dir.resolve("model.safetensors"), model.weightsFile());
        assertEquals(Optional.of(FakeHub.COMMIT), model.commit());
        assertFalse(model.fromCache());
        assertArrayEquals(CONFIG, Files.readAllBytes(model.config()));
        assertArrayEquals(TOKENIZER, Files.readAllBytes(model.tokenizer()));
        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertEquals(List.of("config.json", "tokenizer.json", "model.safetensors"), model.files());

        // The first request names the branch; once the hub said which commit that is, the rest ask for the commit.
        List<String> paths = hub.hubPaths();
        assertTrue(paths.get(0).endsWith("/resolve/main/config.json"), paths.toString());
        for (String later : paths.subList(1, paths.size())) {
            assertTrue(later.contains("/resolve/" + FakeHub.COMMIT + "/"), later);
        }
        // ONNX candidates were probed first.
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("/onnx/model.onnx")), paths.toString());
        assertEquals(1, hub.cdnRequests.size());

        JsonNode manifest = new ObjectMapper().readTree(dir.resolve(".linguagate-complete.json").toFile());
        assertEquals(1, manifest.get("format").asInt());
        assertEquals(MODEL, manifest.get("modelId").asText());
        assertEquals("main", manifest.get("revision").asText());
        assertEquals(FakeHub.COMMIT, manifest.get("commit").asText());
        assertEquals("SAFETENSORS", manifest.get("weights").asText());
        assertEquals(WEIGHTS.length, manifest.get("files").get(2).get("size").asLong());
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.toString().endsWith(".part") || p.toString().endsWith(".part.json")));
        }
        // Progress lines for the 11 MB file: MB done / total and a rate.
        assertTrue(logs.stream().anyMatch(l -> l.contains("model.safetensors") && l.contains(" MB (")
                && l.contains("MB/s")), logs.toString());
    }

    @Test
    void prefersOnnxWeightsWithTheirExternalData() throws IOException {
        safetensorsRepo();
        hub.file("onnx/model.onnx", ONNX).largeFile("onnx/model.onnx_data", ONNX_DATA);

        FetchedModel model = fetcher.fetch(source(null));

        assertEquals(Weights.ONNX, model.weights());
        assertEquals(model.directory().resolve("onnx").resolve("model.onnx"), model.weightsFile());
        assertArrayEquals(ONNX, Files.readAllBytes(model.weightsFile()));
        assertArrayEquals(ONNX_DATA, Files.readAllBytes(model.directory().resolve("onnx/model.onnx_data")));
        assertEquals(List.of("config.json", "tokenizer.json", "onnx/model.onnx", "onnx/model.onnx_data"),
                model.files());
        assertTrue(hub.hubPaths().stream().noneMatch(p -> p.endsWith("model.safetensors")), hub.hubPaths()::toString);
        assertFalse(Files.exists(model.directory().resolve("model.safetensors")));
        // The directory is what the gateway's loader expects.
        ModelDirectory files = ModelDirectory.read(model.directory(), new ObjectMapper());
        assertEquals(model.weightsFile(), files.onnx());
        assertEquals(model.tokenizer(), files.tokenizer());
    }

    @Test
    void secondFetchUsesTheCacheWithoutTheNetwork() {
        safetensorsRepo();
        FetchedModel first = fetcher.fetch(source(null));
        int requests = hub.hubRequests.size();
        hub.stop();

        FetchedModel second = fetcher.fetch(source(null));

        assertTrue(second.fromCache());
        assertEquals(first.directory(), second.directory());
        assertEquals(first.weightsFile(), second.weightsFile());
        assertEquals(first.commit(), second.commit());
        assertEquals(requests, hub.hubRequests.size());
        assertEquals(Optional.of(second), fetcher.cached(source(null)));
    }

    @Test
    void aCacheWithAFileOfTheWrongSizeIsFetchedAgain() throws IOException {
        safetensorsRepo();
        FetchedModel first = fetcher.fetch(source(null));
        Files.write(first.tokenizer(), "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), fetcher.cached(source(null)));

        FetchedModel second = fetcher.fetch(source(null));

        assertFalse(second.fromCache());
        assertArrayEquals(TOKENIZER, Files.readAllBytes(second.tokenizer()));
        assertTrue(logs.stream().anyMatch(l -> l.contains("not complete") && l.contains("tokenizer.json")));
    }

    // ---------------------------------------------------------------- resuming and integrity

    @Test
    void resumesAPartialDownloadWithARangeRequest() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 4_000_000, 1);
        ModelLoadException broken = fail(() -> fetcher.fetch(source(null)));
        assertTrue(broken.getMessage().contains("broke off"), broken.getMessage());
        assertTrue(broken.getMessage().contains("resumes on the next fetch"), broken.getMessage());
        Path dir = source(null).modelDir();
        long kept = Files.size(dir.resolve("model.safetensors.part"));
        assertTrue(kept > 0 && kept <= 4_000_000, "kept " + kept);

        FetchedModel model = fetcher.fetch(source(null));

        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertEquals(2, hub.cdnRequests.size());
        assertNull(hub.cdnRequests.get(0).range());
        assertEquals("bytes=" + kept + "-", hub.cdnRequests.get(1).range());
        // Only the missing bytes travelled the second time.
        assertEquals(WEIGHTS.length - kept, (long) hub.cdnBodyBytes.get(1));
        assertTrue(logs.stream().anyMatch(l -> l.contains("resuming at")), logs.toString());
    }

    @Test
    void retriesWithinOneFetchResumingEachTime() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 3_000_000, 2);
        ModelFetcher patient = new ModelFetcher(3, Duration.ofMillis(10), true);

        FetchedModel model = patient.fetch(source(TOKEN));

        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertEquals(3, hub.cdnRequests.size());
        // Each retry asks for the rest from where the partial file ends, and gets only that.
        assertNull(hub.cdnRequests.get(0).range());
        long first = rangeStart(hub.cdnRequests.get(1));
        long second = rangeStart(hub.cdnRequests.get(2));
        assertTrue(0 < first && first < second && second < WEIGHTS.length, first + " then " + second);
        assertEquals(WEIGHTS.length - second, (long) hub.cdnBodyBytes.get(2));
        assertTrue(logs.stream().anyMatch(l -> l.startsWith("WARN") && l.contains("trying again")), logs.toString());
    }

    @Test
    void anInterruptedFetchLeavesNothingALaterFetchWouldTrust() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 1_000_000, 1);
        fail(() -> fetcher.fetch(source(null)));
        Path dir = source(null).modelDir();

        assertFalse(Files.exists(dir.resolve(".linguagate-complete.json")));
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertEquals(Optional.empty(), fetcher.cached(source(null)));

        hub.stop();
        ModelLoadException offline = fail(() -> fetcher.fetch(source(null)));
        assertTrue(offline.getMessage().contains("unreachable"), offline.getMessage());
    }

    @Test
    void aServerThatIgnoresRangesMakesTheDownloadStartOver() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 2_000_000, 1);
        fail(() -> fetcher.fetch(source(null)));
        hub.cdnHonoursRange = false;

        FetchedModel model = fetcher.fetch(source(null));

        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertEquals(WEIGHTS.length, (long) hub.cdnBodyBytes.get(1));
    }

    @Test
    void anUnsatisfiableRangeMakesTheDownloadStartOver() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 2_000_000, 1);
        fail(() -> fetcher.fetch(source(null)));
        Path part = source(null).modelDir().resolve("model.safetensors.part");
        // A partial file as long as the whole one: the server answers 416.
        Files.write(part, new byte[WEIGHTS.length]);

        FetchedModel model = fetcher.fetch(source(null));

        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertEquals("bytes=" + WEIGHTS.length + "-", hub.cdnRequests.get(1).range());
        assertNull(hub.cdnRequests.get(2).range());
    }

    @Test
    void aFileChangedOnTheHubIsNotResumedButDownloadedAgain() throws IOException {
        safetensorsRepo();
        hub.fault(Fault.Kind.TRUNCATE, 2_000_000, 1);
        fail(() -> fetcher.fetch(source(null)));
        byte[] changed = bytes(WEIGHTS.length, 99);
        hub.largeFile("model.safetensors", changed);

        FetchedModel model = fetcher.fetch(source(null));

        assertArrayEquals(changed, Files.readAllBytes(model.weightsFile()));
        // The hub's redirect already showed the new ETag: the CDN is asked for the whole file, once.
        assertEquals(2, hub.cdnRequests.size());
        assertNull(hub.cdnRequests.get(1).range());
        assertTrue(logs.stream().anyMatch(l -> l.contains("changed on the hub")), logs.toString());
    }

    @Test
    void aSizeMismatchFailsAndKeepsNoFile() {
        safetensorsRepo();
        hub.linkedSizeOverride.put("model.safetensors", (long) WEIGHTS.length + 1000);

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": model.safetensors: size mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(WEIGHTS.length + 1000)), e.getMessage());
        Path dir = source(null).modelDir();
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.part")));
        assertFalse(Files.exists(dir.resolve(".linguagate-complete.json")));
    }

    @Test
    void contentNotMatchingTheHubsSha256FailsAndKeepsNoFile() {
        safetensorsRepo();
        hub.linkedEtagOverride.put("model.safetensors", "\"" + "ab".repeat(32) + "\"");

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        Path dir = source(null).modelDir();
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.part")));
    }

    @Test
    void aStalledTransferHitsTheReadTimeout() {
        safetensorsRepo();
        hub.fault(Fault.Kind.STALL, 500_000, 1);
        HubSource impatient = new HubSource(hub.url(), MODEL, null, Optional.empty(), cache, Duration.ofSeconds(2),
                Duration.ofMillis(300));

        long start = System.nanoTime();
        ModelLoadException e = fail(() -> fetcher.fetch(impatient));

        assertTrue(e.getMessage().contains("read timeout"), e.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aHubThatDoesNotAnswerHitsTheReadTimeout() {
        safetensorsRepo();
        hub.delayMillis.put("config.json", 5_000L);
        HubSource impatient = new HubSource(hub.url(), MODEL, null, Optional.empty(), cache, Duration.ofSeconds(2),
                Duration.ofMillis(300));

        ModelLoadException e = fail(() -> fetcher.fetch(impatient));

        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": config.json: no answer within 0.3 s (read timeout)"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- tokens and redirects

    @Test
    void theTokenGoesToTheHubButNotToTheCdn() {
        safetensorsRepo();
        hub.requiredToken = TOKEN;

        fetcher.fetch(source(TOKEN));

        assertFalse(hub.hubRequests.isEmpty());
        for (FakeHub.Request r : hub.hubRequests) {
            assertEquals("Bearer " + TOKEN, r.authorization(), r.path());
        }
        assertFalse(hub.cdnRequests.isEmpty());
        for (FakeHub.Request r : hub.cdnRequests) {
            assertNull(r.authorization(), r.path());
        }
    }

    @Test
    void aSameOriginRedirectKeepsTheToken() throws IOException {
        safetensorsRepo();
        hub.requiredToken = TOKEN;
        hub.formerIds.add("acme/old-name");
        HubSource renamed = new HubSource(hub.url(), "acme/old-name", null, Optional.of(TOKEN), cache, null, null);

        FetchedModel model = fetcher.fetch(renamed);

        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));
        assertTrue(hub.hubPaths().stream().anyMatch(p -> p.startsWith("/acme/old-name/")));
        assertTrue(hub.hubPaths().stream().anyMatch(p -> p.startsWith("/" + MODEL + "/")));
        for (FakeHub.Request r : hub.hubRequests) {
            assertEquals("Bearer " + TOKEN, r.authorization(), r.path());
        }
        for (FakeHub.Request r : hub.cdnRequests) {
            assertNull(r.authorization(), r.path());
        }
    }

    @Test
    void unauthorizedWithoutATokenSaysToSetHfToken() {
        safetensorsRepo();
        hub.requiredToken = TOKEN;

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": config.json: access denied (HTTP 401)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void aRefusedTokenIsNeverEchoed() {
        safetensorsRepo();
        hub.requiredToken = "hf_theRightOne";

        ModelLoadException e = fail(() -> fetcher.fetch(source(TOKEN)));

        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertFalse(source(TOKEN).toString().contains(TOKEN));
    }

    // ---------------------------------------------------------------- not found

    @Test
    void anUnknownModelIsNamed() {
        safetensorsRepo();
        HubSource unknown = new HubSource(hub.url(), "acme/no-such-model", null, Optional.empty(), cache, null,
                null);

        ModelLoadException e = fail(() -> fetcher.fetch(unknown));

        assertTrue(e.getMessage().contains("acme/no-such-model"), e.getMessage());
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertTrue(e.getMessage().contains("check the model id"), e.getMessage());
    }

    @Test
    void anUnknownRevisionIsNamed() {
        safetensorsRepo();
        HubSource unknown = new HubSource(hub.url(), MODEL, "v9", Optional.empty(), cache, null, null);

        ModelLoadException e = fail(() -> fetcher.fetch(unknown));

        assertTrue(e.getMessage().contains("no revision \"v9\""), e.getMessage());
        assertTrue(e.getMessage().startsWith("Model " + MODEL + "@v9: "), e.getMessage());
    }

    @Test
    void aRepositoryWithoutTokenizerJsonGetsTheSpecificMessage() {
        safetensorsRepo();
        hub.files.remove("tokenizer.json");

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertEquals("Model " + MODEL + ": tokenizer.json: the repository has no tokenizer.json at revision main,"
                + " which the gateway needs to tokenize prompts; use a repository (or revision) that ships the"
                + " fast-tokenizer file", e.getMessage());
    }

    @Test
    void aRepositoryWithoutWeightsListsWhatWasTried() {
        safetensorsRepo();
        hub.files.remove("model.safetensors");

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().contains("onnx/model.onnx, model.onnx, model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": "), e.getMessage());
    }

    @Test
    void anotherServerErrorIsReportedWithItsStatus() {
        safetensorsRepo();
        hub.statusOverride.put("tokenizer.json", 451);

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().contains("tokenizer.json: unexpected HTTP status 451"), e.getMessage());
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        safetensorsRepo();
        hub.statusOverride.put("config.json", 503);

        ModelLoadException e = fail(() -> new ModelFetcher(2, Duration.ofMillis(1), true).fetch(source(null)));

        assertTrue(e.getMessage().contains("answered HTTP 503 (2 attempts)"), e.getMessage());
        assertEquals(2, hub.hubRequests.size());
    }

    // ---------------------------------------------------------------- hub down, cache dir problems, locking

    @Test
    void anUnreachableHubWithNothingCachedSaysBoth() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HubSource down = new HubSource(URI.create("http://127.0.0.1:" + closedPort), MODEL, null,
                Optional.of(TOKEN), cache, Duration.ofSeconds(2), null);

        ModelLoadException e = fail(() -> fetcher.fetch(down));

        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": config.json: the hub http://127.0.0.1:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("is unreachable (connection refused) and the cache has no complete copy in "
                + down.modelDir()), e.getMessage());
    }

    @Test
    void anUnwritableCacheDirectoryNamesTheDirectoryAndTheSetting() throws IOException {
        Path notADirectory = Files.writeString(cache.resolve("plain-file"), "x");
        HubSource source = new HubSource(hub.url(), MODEL, null, Optional.empty(), notADirectory.resolve("models"),
                null, null);

        ModelLoadException e = fail(() -> fetcher.fetch(source));

        assertTrue(e.getMessage().contains(source.modelDir().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("linguagate.model.cache-dir"), e.getMessage());
        assertTrue(e.getMessage().contains("LINGUAGATE_MODEL_CACHE_DIR"), e.getMessage());
        assertTrue(hub.hubRequests.isEmpty());
    }

    @Test
    void notEnoughDiskSpaceFailsBeforeDownloading() {
        safetensorsRepo();
        hub.cdnChunked = true;
        hub.linkedSizeOverride.put("model.safetensors", Long.MAX_VALUE / 4);

        ModelLoadException e = fail(() -> fetcher.fetch(source(null)));

        assertTrue(e.getMessage().startsWith("Model " + MODEL + ": model.safetensors: needs "), e.getMessage());
        assertTrue(e.getMessage().contains("MB are free in " + source(null).modelDir()), e.getMessage());
        assertTrue(e.getMessage().contains("linguagate.model.cache-dir"), e.getMessage());
    }

    @Test
    void aChunkedDownloadIsCheckedAgainstTheLinkedSize() throws IOException {
        safetensorsRepo();
        hub.cdnChunked = true;

        FetchedModel model = fetcher.fetch(source(null));
        assertArrayEquals(WEIGHTS, Files.readAllBytes(model.weightsFile()));

        hub.linkedSizeOverride.put("model.safetensors", (long) WEIGHTS.length + 1);
        HubSource other = new HubSource(hub.url(), MODEL, FakeHub.COMMIT, Optional.empty(), cache, null, null);
        ModelLoadException e = fail(() -> fetcher.fetch(other));
        assertTrue(e.getMessage().contains("size mismatch: expected " + (WEIGHTS.length + 1) + " bytes, received "
                + WEIGHTS.length), e.getMessage());
        assertFalse(Files.exists(other.modelDir().resolve("model.safetensors")));
        assertFalse(Files.exists(other.modelDir().resolve("model.safetensors.part")));
    }

    @Test
    void aSecondProcessWaitsForTheFirstAndThenUsesItsResult() throws Exception {
        safetensorsRepo();
        FetchedModel first = fetcher.fetch(source(null));
        Path manifest = first.directory().resolve(".linguagate-complete.json");
        byte[] manifestBytes = Files.readAllBytes(manifest);
        Files.delete(manifest);
        int requests = hub.hubRequests.size();

        CompletableFuture<FetchedModel> waiting;
        try (FileChannel channel = FileChannel.open(first.directory().resolve(".linguagate-fetch.lock"),
                StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            waiting = CompletableFuture.supplyAsync(() -> fetcher.fetch(source(null)));
            Thread.sleep(500);
            assertFalse(waiting.isDone());
            assertEquals(requests, hub.hubRequests.size());
            // The "other process" finishes: its manifest appears, then it lets go.
            Files.write(manifest, manifestBytes);
        }

        FetchedModel second = waiting.get(10, TimeUnit.SECONDS);
        assertTrue(second.fromCache());
        assertEquals(requests, hub.hubRequests.size());
        assertTrue(logs.stream().anyMatch(l -> l.contains("another process is fetching")), logs.toString());
    }

    // ---------------------------------------------------------------- helpers

    private void safetensorsRepo() {
        hub.file("config.json", CONFIG).file("tokenizer.json", TOKENIZER).largeFile("model.safetensors", WEIGHTS);
    }

    private HubSource source(String token) {
        return new HubSource(hub.url(), MODEL, null, Optional.ofNullable(token), cache, Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    private ModelLoadException fail(org.junit.jupiter.api.function.Executable call) {
        ModelLoadException e = assertThrows(ModelLoadException.class, call);
        messages.add(e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    private static long rangeStart(FakeHub.Request request) {
        String range = request.range();
        assertTrue(range != null && range.startsWith("bytes=") && range.endsWith("-"), String.valueOf(range));
        return Long.parseLong(range.substring(6, range.length() - 1));
    }

    static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }
}
