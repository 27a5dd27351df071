package io.linguagate.upstream;

/** The upstream did not answer within {@code linguagate.upstream.timeout}. */
public final class UpstreamTimeoutException extends UpstreamException {
    public UpstreamTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
