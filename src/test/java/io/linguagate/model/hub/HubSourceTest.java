package io.linguagate.model.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HubSourceTest {

    @Test
    void defaultsApply() {
        HubSource s = new HubSource(null, "microsoft/llmlingua-2-bert-base-multilingual-cased-meetingbank", null,
                null, Path.of("/cache"), null, null);
        assertEquals(URI.create("https://huggingface.co"), s.hubUrl());
        assertEquals("main", s.revision());
        assertEquals(Optional.empty(), s.token());
        assertEquals(HubSource.DEFAULT_CONNECT_TIMEOUT, s.connectTimeout());
        assertEquals(HubSource.DEFAULT_READ_TIMEOUT, s.readTimeout());
        assertEquals(Path.of("/cache/microsoft--llmlingua-2-bert-base-multilingual-cased-meetingbank/main"),
                s.modelDir());
    }

    @Test
    void cacheLayoutEncodesSlashesInIdAndRevision() {
        HubSource s = new HubSource(URI.create("https://mirror.example/hf/"), "acme/m", "refs/pr/1", Optional.of(" "),
                Path.of("/c"), null, null);
        assertEquals(Path.of("/c/acme--m/refs--pr--1"), s.modelDir());
        assertEquals(URI.create("https://mirror.example/hf"), s.hubUrl());
        assertEquals(Optional.empty(), s.token());
        assertEquals("acme/m@refs/pr/1", s.describe());
    }

    @Test
    void defaultCacheDirFollowsXdg() {
        assertEquals(Path.of("/xdg/linguagate/models"),
                HubSource.defaultCacheDir(Map.of("XDG_CACHE_HOME", "/xdg"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/linguagate/models"), HubSource.defaultCacheDir(Map.of(), "/home/u"));
        // Relative XDG values are ignored, as the XDG spec says.
        assertEquals(Path.of("/home/u/.cache/linguagate/models"),
                HubSource.defaultCacheDir(Map.of("XDG_CACHE_HOME", "rel"), "/home/u"));
    }

    @Test
    void badIdsRevisionsAndUrlsAreRefused() {
        for (String id : new String[] {"", "a/b/c", "../x", "a/..", "a--b/c", "/a", "a/", "a b/c"}) {
            assertThrows(IllegalArgumentException.class, () -> source(id, null), id);
        }
        for (String rev : new String[] {"../x", "/main", "a//b", "a\\b", "a b"}) {
            assertThrows(IllegalArgumentException.class, () -> source("a/b", rev), rev);
        }
        for (String url : new String[] {"ftp://h", "https://user:pw@h", "https://h?x=1", "file:///tmp"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new HubSource(URI.create(url), "a/b", null, null, Path.of("/c"), null, null), url);
        }
    }

    @Test
    void toStringHidesTheToken() {
        HubSource s = new HubSource(null, "a/b", null, Optional.of("hf_secret"), Path.of("/c"), null, null);
        assertFalse(s.toString().contains("hf_secret"));
        assertTrue(s.toString().contains("token=(set)"));
    }

    @Test
    void fileUrlsEncodeRevisionAndPathSegments() {
        HubSource s = new HubSource(URI.create("https://huggingface.co"), "acme/m", "refs/pr/1", null, Path.of("/c"),
                null, null);
        try (FetchRun run = new FetchRun(s, s.modelDir(), null, 1, java.time.Duration.ZERO, true)) {
            assertEquals(URI.create("https://huggingface.co/acme/m/resolve/refs%2Fpr%2F1/onnx/model.onnx"),
                    run.fileUrl("onnx/model.onnx"));
        }
    }

    @Test
    void contentRangeAndSha256Parsing() {
        assertEquals(100, FetchRun.parseContentRange("bytes 100-199/200")[0]);
        assertEquals(-1, FetchRun.parseContentRange("bytes 0-9/*")[2]);
        assertEquals(null, FetchRun.parseContentRange("bytes 100-250/200"));
        assertEquals(null, FetchRun.parseContentRange("items 1-2/3"));
        String sha = "ab".repeat(32);
        assertEquals(sha, FetchRun.sha256Of("\"" + sha.toUpperCase() + "\""));
        assertEquals(null, FetchRun.sha256Of("W/\"" + sha + "\""));
        assertEquals(null, FetchRun.sha256Of("\"abc\""));
    }

    private static HubSource source(String id, String revision) {
        return new HubSource(null, id, revision, null, Path.of("/c"), null, null);
    }
}
