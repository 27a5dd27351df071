package io.linguagate.gateway;

/**
 * A request the gateway answers itself with an error (in the route's {@link ErrorDialect}); expected, so it carries
 * no stack trace.
 */
public class GatewayException extends RuntimeException {
    private final OpenAiError error;

    public GatewayException(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public OpenAiError error() {
        return error;
    }
}
