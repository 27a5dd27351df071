package io.linguagate.upstream;

/** The upstream answered with something that is not valid HTTP (garbage status line, broken framing, 101 unasked). */
public final class UpstreamBadResponseException extends UpstreamException {
    public UpstreamBadResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
