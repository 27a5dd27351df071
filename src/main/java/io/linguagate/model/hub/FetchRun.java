package io.linguagate.model.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.model.ModelLoadException;
import io.linguagate.model.hub.FetchedModel.Weights;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** One fetch of one model into its cache directory, under the fetch lock. */
final class FetchRun implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelFetcher.class);

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
    /** Restarts from byte zero within one attempt (server ignored or mismatched the range, file changed). */
    private static final int MAX_RESTARTS = 3;
    private static final int BUFFER_BYTES = 256 * 1024;

    /** What a 404 on a file means. */
    enum Need {
        /** config.json: the repository or revision is probably wrong. */
        REQUIRED,
        /** tokenizer.json: the repository lacks a file the gateway needs. */
        TOKENIZER,
        /** A weights candidate: absent, try the next one. */
        OPTIONAL
    }

    record FileResult(String path, long size, String etag) {
    }

    /** The {@code .part.json} next to a partial download: what the hub said about the file when it began. */
    record PartMeta(String validator, long total) {
    }

    /** A failure worth another attempt, resuming from the partial file. */
    static final class Transient extends Exception {
        Transient(String message) {
            super(message, null, false, false);
        }
    }

    private final HubSource source;
    private final Path dir;
    private final ObjectMapper json;
    private final int attempts;
    private final Duration retryBackoff;
    private final boolean verifySha256;
    private final HubHttp http;
    private String commit;
    private String urlRevision;

    FetchRun(HubSource source, Path dir, ObjectMapper json, int attempts, Duration retryBackoff,
            boolean verifySha256) {
        this.source = source;
        this.dir = dir;
        this.json = json;
        this.attempts = attempts;
        this.retryBackoff = retryBackoff;
        this.verifySha256 = verifySha256;
        this.urlRevision = source.revision();
        this.http = new HubHttp(source);
    }

    FetchedModel fetch() {
        List<FileResult> files = new ArrayList<>();
        files.add(download(ModelFetcher.CONFIG, Need.REQUIRED));
        files.add(download(ModelFetcher.TOKENIZER, Need.TOKENIZER));
        Weights weights = null;
        String weightsFile = null;
        for (String candidate : ModelFetcher.ONNX_CANDIDATES) {
            FileResult onnx = download(candidate, Need.OPTIONAL);
            if (onnx != null) {
                files.add(onnx);
                weights = Weights.ONNX;
                weightsFile = candidate;
                FileResult data = download(candidate + ModelFetcher.EXTERNAL_DATA_SUFFIX, Need.OPTIONAL);
                if (data != null) {
                    files.add(data);
                }
                break;
            }
        }
        if (weights == null) {
            FileResult safetensors = download(ModelFetcher.SAFETENSORS, Need.OPTIONAL);
            if (safetensors == null) {
                List<String> tried = new ArrayList<>(ModelFetcher.ONNX_CANDIDATES);
                tried.add(ModelFetcher.SAFETENSORS);
                throw fail(null, "the repository has no weights the gateway can use at revision " + source.revision()
                        + " (tried " + String.join(", ", tried) + "; all answered 404)");
            }
            files.add(safetensors);
            weights = Weights.SAFETENSORS;
            weightsFile = ModelFetcher.SAFETENSORS;
        }
        removeStaleWeights(files);
        List<CacheManifest.Entry> entries = files.stream()
                .map(f -> new CacheManifest.Entry(f.path(), f.size(), f.etag()))
                .toList();
        CacheManifest manifest = new CacheManifest(CacheManifest.FORMAT, source.modelId(), source.revision(),
                source.hubUrl().toString(), commit, weights, weightsFile,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), entries);
        try {
            manifest.write(dir, json);
        } catch (IOException e) {
            throw diskFailure(CacheManifest.FILE_NAME, dir.resolve(CacheManifest.FILE_NAME), e);
        }
        long bytes = files.stream().mapToLong(FileResult::size).sum();
        LOG.infof("Model %s: fetched %d files (%s MB, %s weights, commit %s) into %s", source.describe(),
                files.size(), Progress.mb(bytes), weights, commit == null ? "unknown" : commit, dir);
        return manifest.toFetched(dir, false);
    }

    @Override
    public void close() {
        http.close();
    }

    /** The file in place, or {@code null} for an absent {@link Need#OPTIONAL} file. */
    private FileResult download(String file, Need need) {
        Path target = CacheManifest.resolve(dir, file);
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Path meta = target.resolveSibling(target.getFileName() + ".part.json");
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw diskFailure(file, target.getParent(), e);
        }
        for (int attempt = 1;; attempt++) {
            try {
                return transfer(file, need, target, part, meta);
            } catch (Transient e) {
                long kept = sizeOrZero(part);
                if (attempt >= attempts) {
                    throw fail(file, e.getMessage() + (attempts > 1 ? " (" + attempts + " attempts)" : "")
                            + (kept > 0 ? "; the partial download (" + Progress.mb(kept)
                                    + " MB) is kept and resumes on the next fetch" : ""));
                }
                Duration pause = retryBackoff.multipliedBy(attempt);
                LOG.warnf("Model %s: %s: %s; trying again in %d ms (attempt %d of %d)%s", source.describe(), file,
                        redact(e.getMessage()), pause.toMillis(), attempt + 1, attempts,
                        kept > 0 ? ", resuming at " + Progress.mb(kept) + " MB" : "");
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    throw interrupted(file);
                }
            } catch (InterruptedException e) {
                throw interrupted(file);
            }
        }
    }

    private FileResult transfer(String file, Need need, Path target, Path part, Path meta)
            throws Transient, InterruptedException {
        for (int restart = 0; restart < MAX_RESTARTS; restart++) {
            long have = sizeOrZero(part);
            PartMeta partMeta = have > 0 ? readPartMeta(meta) : null;
            if (have > 0 && partMeta == null) {
                // A partial file without its record cannot be checked: start over.
                FileOps.deleteQuietly(part, meta);
                have = 0;
            }
            try (HubHttp.Response response = request(file, have, partMeta == null ? null : partMeta.validator())) {
                noteCommit(response.hub().commit());
                int status = response.status();
                switch (status) {
                    case 200, 206 -> {
                    }
                    case 404 -> {
                        notFound(file, need, response);
                        FileOps.deleteQuietly(part, meta);
                        return null;
                    }
                    case 401, 403 -> throw denied(file, status, response);
                    case 416 -> {
                        LOG.infof("Model %s: %s: the server cannot resume at byte %d (416); downloading from the start",
                                source.describe(), file, have);
                        FileOps.deleteQuietly(part, meta);
                        continue;
                    }
                    default -> {
                        if (status == 429 || status >= 500) {
                            throw new Transient(response.origin() + " answered HTTP " + status);
                        }
                        throw fail(file, "unexpected HTTP status " + status + " from " + response.origin());
                    }
                }
                String validator = response.hub().validator();
                long linked = response.hub().linkedSize();
                long length = response.contentLength();
                long total;
                if (status == 206) {
                    long[] range = parseContentRange(response.headers().firstValue("Content-Range").orElse(null));
                    if (have == 0 || range == null || range[0] != have) {
                        LOG.infof("Model %s: %s: the server answered the resume request with another range;"
                                + " downloading from the start", source.describe(), file);
                        FileOps.deleteQuietly(part, meta);
                        continue;
                    }
                    if (partMeta.validator() != null && validator != null && !partMeta.validator().equals(validator)) {
                        LOG.infof("Model %s: %s changed on the hub since the partial download; downloading from the"
                                + " start", source.describe(), file);
                        FileOps.deleteQuietly(part, meta);
                        continue;
                    }
                    if (linked >= 0 && range[2] >= 0 && linked != range[2]) {
                        throw sizeMismatch(file, part, meta, "the hub gives its size as " + linked
                                + " bytes (X-Linked-Size) but " + response.origin() + " as " + range[2]);
                    }
                    total = range[2] >= 0 ? range[2] : linked;
                    if (partMeta.total() >= 0 && total >= 0 && partMeta.total() != total) {
                        LOG.infof("Model %s: %s changed size since the partial download; downloading from the start",
                                source.describe(), file);
                        FileOps.deleteQuietly(part, meta);
                        continue;
                    }
                    if (length >= 0 && total >= 0 && length != total - have) {
                        throw sizeMismatch(file, part, meta, response.origin() + " sends " + length
                                + " bytes from byte " + have + " of a " + total + "-byte file");
                    }
                } else {
                    if (have > 0 && partMeta.validator() != null && validator != null
                            && !partMeta.validator().equals(validator)) {
                        LOG.infof("Model %s: %s changed on the hub since the partial download; downloading from the"
                                + " start", source.describe(), file);
                    } else if (have > 0) {
                        LOG.infof("Model %s: %s: the server does not resume downloads; downloading from the start",
                                source.describe(), file);
                    }
                    have = 0;
                    if (linked >= 0 && length >= 0 && linked != length) {
                        throw sizeMismatch(file, part, meta, "the hub gives its size as " + linked
                                + " bytes (X-Linked-Size) but " + response.origin() + " sends " + length);
                    }
                    total = linked >= 0 ? linked : length;
                    writePartMeta(file, meta, new PartMeta(validator, total));
                }
                checkSpace(file, part, total < 0 ? -1 : total - have);
                return copy(file, response, target, part, meta, have, total, validator);
            }
        }
        throw new Transient("the server did not resume the partial download consistently");
    }

    private FileResult copy(String file, HubHttp.Response response, Path target, Path part, Path meta, long have,
            long total, String validator) throws Transient, InterruptedException {
        String expectedSha = verifySha256 ? sha256Of(response.hub().linkedEtag()) : null;
        MessageDigest digest = expectedSha == null ? null : newSha256();
        if (digest != null && have > 0) {
            hashExisting(file, part, digest);
        }
        Progress progress = new Progress(LOG, "model " + source.describe() + " " + file, total, have);
        long done = have;
        InputStream body = response.body();
        FileChannel out = openPart(file, part, have > 0);
        try (out; ReadWatchdog watchdog = ReadWatchdog.start(body, source.readTimeout())) {
            byte[] buffer = new byte[BUFFER_BYTES];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    throw brokenOff(response, watchdog, done, total, e);
                }
                if (n < 0) {
                    break;
                }
                watchdog.touch();
                write(file, part, out, buffer, n);
                if (digest != null) {
                    digest.update(buffer, 0, n);
                }
                done += n;
                if (total >= 0 && done > total) {
                    throw sizeMismatch(file, part, meta, response.origin() + " sends more than the expected "
                            + total + " bytes");
                }
                progress.update(done);
            }
            if (watchdog.fired()) {
                throw brokenOff(response, watchdog, done, total, null);
            }
            out.force(true);
        } catch (IOException e) {
            throw diskFailure(file, part, e);
        }
        if (total >= 0 && done != total) {
            throw sizeMismatch(file, part, meta, "expected " + total + " bytes, received " + done);
        }
        if (digest != null) {
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expectedSha)) {
                FileOps.deleteQuietly(part, meta);
                throw fail(file, "the download does not match the SHA-256 the hub gives for it (X-Linked-Etag "
                        + expectedSha + ", got " + actual + "); the partial file was deleted");
            }
        }
        try {
            FileOps.atomicMove(part, target);
        } catch (IOException e) {
            throw diskFailure(file, target, e);
        }
        FileOps.deleteQuietly(meta);
        progress.finished(done);
        return new FileResult(file, done, validator);
    }

    private HubHttp.Response request(String file, long rangeStart, String validator)
            throws Transient, InterruptedException {
        URI url = fileUrl(file);
        try {
            return http.get(url, rangeStart, validator);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(file, "connecting timed out after " + seconds(source.connectTimeout()));
        } catch (ConnectException e) {
            throw unreachable(file, connectReason(e));
        } catch (HttpTimeoutException e) {
            throw new Transient("no answer within " + seconds(source.readTimeout()) + " (read timeout)");
        } catch (ProtocolException e) {
            throw fail(file, ModelFetcher.reason(e));
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw new Transient("the request failed (" + ModelFetcher.reason(e) + ")");
        }
    }

    /** Pins the rest of the fetch to the commit the hub first names, so all files come from one commit. */
    private void noteCommit(String announced) {
        if (commit != null || announced == null) {
            return;
        }
        String lower = announced.toLowerCase(Locale.ROOT);
        if (COMMIT.matcher(lower).matches()) {
            commit = lower;
            if (!lower.equals(source.revision())) {
                LOG.debugf("Model %s: revision %s is commit %s", source.describe(), source.revision(), lower);
                urlRevision = lower;
            }
        }
    }

    URI fileUrl(String file) {
        StringBuilder url = new StringBuilder(source.hubUrl().toString())
                .append('/').append(source.modelId())
                .append("/resolve/").append(encode(urlRevision));
        for (String segment : file.split("/")) {
            url.append('/').append(encode(segment));
        }
        return URI.create(url.toString());
    }

    private void notFound(String file, Need need, HubHttp.Response response) {
        String code = response.hub().errorCode();
        if ("RepoNotFound".equals(code)) {
            throw fail(file, "not found (404): " + response.origin() + " has no model \"" + source.modelId()
                    + "\"; check the model id");
        }
        if ("RevisionNotFound".equals(code)) {
            throw fail(file, "not found (404): the repository has no revision \"" + source.revision() + "\"");
        }
        switch (need) {
            case OPTIONAL -> {
            }
            case TOKENIZER -> throw fail(file, "the repository has no tokenizer.json at revision " + source.revision()
                    + ", which the gateway needs to tokenize prompts; use a repository (or revision) that ships the"
                    + " fast-tokenizer file");
            case REQUIRED -> throw fail(file, "EntryNotFound".equals(code)
                    ? "the repository has no " + file + " at revision " + source.revision()
                    : "not found (404): unknown model id \"" + source.modelId() + "\" or revision \""
                            + source.revision() + "\", or the repository has no " + file);
        }
    }

    private RuntimeException denied(String file, int status, HubHttp.Response response) throws Transient {
        if (!HubHttp.sameOrigin(response.uri(), source.hubUrl())) {
            // A storage host refusing a signed link: it may have expired; the hub hands out a fresh one.
            throw new Transient("the download server " + response.origin() + " answered HTTP " + status);
        }
        boolean gated = "GatedRepo".equals(response.hub().errorCode());
        String what = gated ? "the repository is gated" : "the repository is private or gated, or does not exist";
        if (source.token().isEmpty()) {
            return fail(file, "access denied (HTTP " + status + "): " + what + "; set " + HubSource.TOKEN_ENV
                    + " to an access token that can read it");
        }
        return fail(file, "access denied (HTTP " + status + ") with the token from " + HubSource.TOKEN_ENV + ": "
                + what + (gated ? " and this token's account has not been granted access (accept the model's"
                        + " terms on the hub)" : "; check that the token is valid and can read this repository"));
    }

    private ModelLoadException unreachable(String file, String why) {
        URI target = http.lastRequested() != null ? http.lastRequested() : source.hubUrl();
        String who = HubHttp.sameOrigin(target, source.hubUrl()) ? "the hub " + HubHttp.origin(target)
                : "the download server " + HubHttp.origin(target) + " (the hub redirected there)";
        return fail(file, who + " is unreachable (" + why + ") and the cache has no complete copy in " + dir
                + "; let the gateway reach the hub, or put a complete copy in the cache");
    }

    /** Why a connection could not be opened, in words (the JDK often gives only an exception type). */
    static String connectReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "host name not resolved";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return ModelFetcher.reason(t);
            }
        }
        return "connection refused";
    }

    private Transient brokenOff(HubHttp.Response response, ReadWatchdog watchdog, long done, long total,
            IOException cause) {
        String progress = Progress.mb(done) + (total >= 0 ? " of " + Progress.mb(total) : "") + " MB";
        if (watchdog.fired()) {
            return new Transient("no data from " + response.origin() + " for " + seconds(source.readTimeout())
                    + " (read timeout) after " + progress);
        }
        return new Transient("the transfer from " + response.origin() + " broke off after " + progress + " ("
                + ModelFetcher.reason(rootCause(cause)) + ")");
    }

    private ModelLoadException sizeMismatch(String file, Path part, Path meta, String detail) {
        FileOps.deleteQuietly(part, meta);
        return fail(file, "size mismatch: " + detail + "; the partial file was deleted");
    }

    private ModelLoadException diskFailure(String file, Path path, IOException e) {
        String why = ModelFetcher.reason(e);
        boolean full = why.toLowerCase(Locale.ROOT).contains("no space left");
        return fail(file, "cannot write " + path + " (" + why + ")" + (full ? ": the disk is full" : "") + "; "
                + ModelFetcher.CACHE_DIR_ADVICE);
    }

    private void checkSpace(String file, Path part, long needed) {
        if (needed <= 0) {
            return;
        }
        long usable;
        try {
            usable = Files.getFileStore(part.getParent()).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return;
        }
        if (usable >= 0 && usable < needed) {
            throw fail(file, "needs " + Progress.mb(needed) + " MB but only " + Progress.mb(usable)
                    + " MB are free in " + part.getParent() + "; free space there or "
                    + ModelFetcher.CACHE_DIR_ADVICE);
        }
    }

    private FileChannel openPart(String file, Path part, boolean append) {
        try {
            return append
                    ? FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND)
                    : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw diskFailure(file, part, e);
        }
    }

    private void write(String file, Path part, FileChannel out, byte[] buffer, int length) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        try {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw diskFailure(file, part, e);
        }
    }

    private void hashExisting(String file, Path part, MessageDigest digest) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(part)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw diskFailure(file, part, e);
        }
    }

    /** The record next to a partial file; {@code null} when it is missing or unreadable. */
    private PartMeta readPartMeta(Path meta) {
        try {
            return json.readValue(Files.readAllBytes(meta), PartMeta.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void writePartMeta(String file, Path meta, PartMeta value) {
        try {
            Files.write(meta, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw diskFailure(file, meta, e);
        }
    }

    /** Removes weights of another kind left by an earlier fetch, so the directory holds one unambiguous graph. */
    private void removeStaleWeights(List<FileResult> kept) {
        List<String> keep = kept.stream().map(FileResult::path).toList();
        List<String> known = new ArrayList<>();
        for (String onnx : ModelFetcher.ONNX_CANDIDATES) {
            known.add(onnx);
            known.add(onnx + ModelFetcher.EXTERNAL_DATA_SUFFIX);
        }
        known.add(ModelFetcher.SAFETENSORS);
        for (String file : known) {
            if (!keep.contains(file)) {
                FileOps.deleteQuietly(CacheManifest.resolve(dir, file));
            }
        }
    }

    private ModelLoadException fail(String file, String problem) {
        return new ModelLoadException(redact("Model " + source.describe() + ": " + (file == null ? "" : file + ": ")
                + problem));
    }

    private ModelLoadException interrupted(String file) {
        Thread.currentThread().interrupt();
        return fail(file, "interrupted; any partial download is kept and resumes on the next fetch");
    }

    /** Belt and braces: no message may carry the token, whatever a server echoed into it. */
    private String redact(String text) {
        if (text == null || source.token().isEmpty()) {
            return text;
        }
        return text.replace(source.token().get(), "***");
    }

    static long[] parseContentRange(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.strip());
        if (!m.matches()) {
            return null;
        }
        try {
            long start = Long.parseLong(m.group(1));
            long end = Long.parseLong(m.group(2));
            long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            if (end < start || total >= 0 && end >= total) {
                return null;
            }
            return new long[] {start, end, total};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The innermost cause that says something (the JDK wraps the real reason in "closed"). */
    private static Throwable rootCause(Throwable e) {
        Throwable found = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                found = t;
            }
        }
        return found;
    }

    /** The SHA-256 in an {@code X-Linked-Etag} value, or {@code null} when it is not one. */
    static String sha256Of(String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.strip();
        if (value.startsWith("W/")) {
            return null;
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        value = value.toLowerCase(Locale.ROOT);
        return SHA256.matcher(value).matches() ? value : null;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static long sizeOrZero(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s",
                d.toMillis() / 1000.0);
    }

    /** Percent-encodes one path segment (everything but RFC 3986 unreserved characters). */
    static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
