package io.linguagate.upstream;

/** No connection could be made: nothing was sent, so the call is always safe to retry. */
public final class UpstreamUnreachableException extends UpstreamException {
    public UpstreamUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
