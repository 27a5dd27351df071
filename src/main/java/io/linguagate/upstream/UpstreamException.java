package io.linguagate.upstream;

/** Base of the failures of an upstream call; each subtype maps to one client-facing status. */
public abstract sealed class UpstreamException extends RuntimeException
        permits UpstreamUnreachableException, UpstreamTimeoutException, UpstreamBrokenException, UpstreamStatusException,
        UpstreamBadResponseException {

    protected UpstreamException(String message, Throwable cause) {
        // No stack trace: these are expected operational conditions, described fully by the message.
        super(message, cause, false, false);
    }
}
