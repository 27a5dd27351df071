package io.linguagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;

/**
 * One call to the upstream, described before it is made.
 *
 * @param method        HTTP method
 * @param pathAndQuery  path below the gateway's {@code /v1} plus the raw query string, e.g. {@code /chat/completions?x=1}
 * @param headers       headers to send, already filtered and with upstream credentials applied
 * @param body          the whole body when it is held in memory (replayable), else {@code null}
 * @param bodyStream    a paused inbound body streamed through without buffering (not replayable), else {@code null}
 */
public record UpstreamRequest(HttpMethod method, String pathAndQuery, MultiMap headers, Buffer body,
        ReadStream<Buffer> bodyStream) {

    /** A request can be sent again after an answer only when its body was not consumed by the first attempt. */
    public boolean replayable() {
        return bodyStream == null;
    }
}
