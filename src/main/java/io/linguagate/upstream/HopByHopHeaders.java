package io.linguagate.upstream;

import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Headers that describe one connection, not the message: a proxy must never copy them (RFC 9110 §7.6.1). */
public final class HopByHopHeaders {

    private static final Set<String> NAMES = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "expect", "http2-settings");

    private HopByHopHeaders() {
    }

    /** Copies {@code from} into {@code to}, leaving out hop-by-hop headers and those the Connection header names. */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> named = namedByConnection(from.getAll("connection"));
        from.forEach(entry -> {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!NAMES.contains(name) && !named.contains(name)) {
                to.add(entry.getKey(), entry.getValue());
            }
        });
    }

    private static Set<String> namedByConnection(List<String> connection) {
        if (connection.isEmpty()) {
            return Set.of();
        }
        // Every Connection line counts (AWS Lambda's HTTP handler splits one line into several); a set tolerates
        // repeats: "Connection: keep-alive, keep-alive" is legal.
        Set<String> named = new HashSet<>();
        for (String line : connection) {
            named.addAll(Arrays.asList(line.toLowerCase(Locale.ROOT).replace(" ", "").split(",")));
        }
        return named;
    }
}
