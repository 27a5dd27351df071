package io.linguagate.model.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where to fetch a model repository from and where to keep it.
 *
 * <p>Files are read from {@code {hubUrl}/{modelId}/resolve/{revision}/{file}} (the Hugging Face hub's layout; any
 * server with the same layout works). They are kept under {@link #modelDir()}:
 * {@code {cacheDir}/{modelId with '/' replaced by '--'}/{revision with '/' replaced by '--'}/}, with the repository's
 * own relative paths below that ({@code config.json}, {@code tokenizer.json}, {@code onnx/model.onnx}, ...).
 *
 * <p>The token is sent only to the hub's own origin as {@code Authorization: Bearer ...}; {@link #toString()} never
 * shows it.
 *
 * @param hubUrl         base URL of the hub, {@code http} or {@code https}, no user info, query or fragment;
 *                       {@code null} means {@link #DEFAULT_HUB_URL}
 * @param modelId        repository id, {@code owner/name} or {@code name}
 * @param revision       branch, tag or commit; {@code null} or blank means {@link #DEFAULT_REVISION}
 * @param token          access token for private or gated repositories ({@value #TOKEN_ENV}); {@code null} or a
 *                       blank token means none
 * @param cacheDir       root of the model cache; {@code null} means {@link #defaultCacheDir()}
 * @param connectTimeout limit for opening a connection; {@code null} means {@link #DEFAULT_CONNECT_TIMEOUT}
 * @param readTimeout    limit for waiting on a response's headers and, during a transfer, for the gap between two
 *                       reads; {@code null} means {@link #DEFAULT_READ_TIMEOUT}
 */
public record HubSource(URI hubUrl, String modelId, String revision, Optional<String> token, Path cacheDir,
        Duration connectTimeout, Duration readTimeout) {

    public static final URI DEFAULT_HUB_URL = URI.create("https://huggingface.co");
    public static final String DEFAULT_REVISION = "main";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A hub that accepts connections but never answers fails the fetch within ≈ 30 s (3 attempts, back-off). */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(8);

    /** Environment variable the hub's own tools read the access token from. */
    public static final String TOKEN_ENV = "HF_TOKEN";
    /** Configuration key of the cache directory, named in error messages. */
    public static final String CACHE_DIR_KEY = "linguagate.model.cache-dir";
    /** Environment form of {@link #CACHE_DIR_KEY}, named in error messages. */
    public static final String CACHE_DIR_ENV = "LINGUAGATE_MODEL_CACHE_DIR";

    // The hub's own rule for repository names: letters, digits, '-', '_', '.'; no "--" or ".." anywhere.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");

    public HubSource {
        hubUrl = checkHubUrl(hubUrl == null ? DEFAULT_HUB_URL : hubUrl);
        modelId = checkModelId(modelId);
        revision = revision == null || revision.isBlank() ? DEFAULT_REVISION : checkRevision(revision.strip());
        token = token == null ? Optional.empty() : token.map(String::strip).filter(t -> !t.isEmpty());
        cacheDir = cacheDir == null ? defaultCacheDir() : cacheDir;
        connectTimeout = positive(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout, "connectTimeout");
        readTimeout = positive(readTimeout == null ? DEFAULT_READ_TIMEOUT : readTimeout, "readTimeout");
    }

    /**
     * The default hub, revision and timeouts, the token from {@value #TOKEN_ENV} and {@link #defaultCacheDir()}.
     */
    public static HubSource of(String modelId) {
        return new HubSource(null, modelId, null, environmentToken(), null, null, null);
    }

    /** {@value #TOKEN_ENV} from the environment, when set and not blank. */
    public static Optional<String> environmentToken() {
        return Optional.ofNullable(System.getenv(TOKEN_ENV)).map(String::strip).filter(t -> !t.isEmpty());
    }

    /**
     * {@code $XDG_CACHE_HOME/linguagate/models} when {@code XDG_CACHE_HOME} is set to an absolute path, else
     * {@code ~/.cache/linguagate/models}.
     */
    public static Path defaultCacheDir() {
        return defaultCacheDir(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultCacheDir(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG base directory spec says relative values are to be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg.strip()).isAbsolute()) {
            return Path.of(xdg.strip(), "linguagate", "models");
        }
        return Path.of(userHome == null ? "." : userHome, ".cache", "linguagate", "models");
    }

    /** This model and revision's directory in the cache (see the class comment for the layout). */
    public Path modelDir() {
        return cacheDir.resolve(modelId.replace("/", "--")).resolve(revision.replace("/", "--"));
    }

    /** {@code modelId@revision}, for messages. */
    public String describe() {
        return DEFAULT_REVISION.equals(revision) ? modelId : modelId + "@" + revision;
    }

    @Override
    public String toString() {
        return "HubSource[hubUrl=" + hubUrl + ", modelId=" + modelId + ", revision=" + revision + ", token="
                + (token.isPresent() ? "(set)" : "(none)") + ", cacheDir=" + cacheDir + ", connectTimeout="
                + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static URI checkHubUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("hub URL must be http or https: " + url);
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("hub URL has no host: " + url);
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "hub URL must not carry user info, a query or a fragment (the token goes in HF_TOKEN)");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    private static String checkModelId(String modelId) {
        Objects.requireNonNull(modelId, "modelId");
        String id = modelId.strip();
        String[] parts = id.split("/", -1);
        boolean ok = parts.length >= 1 && parts.length <= 2;
        for (String part : parts) {
            ok &= NAME.matcher(part).matches() && !part.contains("--") && !part.contains("..")
                    && !part.endsWith(".") && !part.endsWith("-");
        }
        if (!ok) {
            throw new IllegalArgumentException("not a hub model id (expected owner/name): \"" + modelId + "\"");
        }
        return id;
    }

    private static String checkRevision(String revision) {
        boolean ok = !revision.startsWith("/") && !revision.endsWith("/") && !revision.contains("..")
                && !revision.contains("//") && !revision.contains("--") && !revision.contains("\\")
                && revision.length() <= 255 && !revision.equals(".");
        for (int i = 0; ok && i < revision.length(); i++) {
            char c = revision.charAt(i);
            ok = c > ' ' && c != 0x7f && c != ':' && c != '?' && c != '*' && c != '<' && c != '>' && c != '|'
                    && c != '"';
        }
        if (!ok) {
            throw new IllegalArgumentException("not a usable revision: \"" + revision + "\"");
        }
        return revision;
    }

    private static Duration positive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
