package io.linguagate.upstream;

/** The connection failed after the request was (partly) sent and before an answer came: not safe to retry. */
public final class UpstreamBrokenException extends UpstreamException {
    public UpstreamBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
