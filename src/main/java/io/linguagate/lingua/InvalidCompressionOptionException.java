package io.linguagate.lingua;

/**
 * A compression option (or input) is out of range. Carries the parameter's name as the
 * LLMLingua-compatible API spells it, so the HTTP layer can answer 400 with a precise message.
 */
public final class InvalidCompressionOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public InvalidCompressionOptionException(String parameter, String message) {
        super(parameter + ": " + message);
        this.parameter = parameter;
    }

    /** The offending parameter, e.g. {@code rate} or {@code force_tokens}. */
    public String parameter() {
        return parameter;
    }
}
