package io.linguagate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The upstream answered with a status that may be retried or counts against the circuit breaker (429, 5xx).
 * It carries the whole answer so that, when retries are over, the client receives it unchanged.
 */
public final class UpstreamStatusException extends UpstreamException {
    private final int status;
    private final String statusMessage;
    private final MultiMap headers;
    private final Buffer body;
    private final long retryAfterMillis;
    private final boolean replayable;

    public UpstreamStatusException(int status, String statusMessage, MultiMap headers, Buffer body,
            boolean replayable) {
        super("upstream answered " + status, null);
        this.status = status;
        this.statusMessage = statusMessage;
        this.headers = headers;
        this.body = body;
        this.retryAfterMillis = RetryAfter.millis(headers);
        this.replayable = replayable;
    }

    public int status() {
        return status;
    }

    public String statusMessage() {
        return statusMessage;
    }

    public MultiMap headers() {
        return headers;
    }

    public Buffer body() {
        return body;
    }

    /** The delay the upstream asked for, or -1 when it named none. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** Whether the request that got this answer may be sent again. */
    public boolean replayable() {
        return replayable;
    }

    /** 429, 502 and 503 mean "not processed, try later"; 500 and 504 may have been processed. */
    public boolean retryableStatus() {
        return status == 429 || status == 502 || status == 503;
    }

    /** Rate limiting is the upstream working as designed; only server failures count against the breaker. */
    public boolean serverFailure() {
        return status >= 500;
    }
}
