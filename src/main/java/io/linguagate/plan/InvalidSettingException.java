package io.linguagate.plan;

/** A per-request compression setting that cannot be honoured; answered 400 naming the parameter. */
public final class InvalidSettingException extends IllegalArgumentException {

    private final String param;

    public InvalidSettingException(String param, String message) {
        super(message, null);
        this.param = param;
    }

    /** The parameter at fault, as the client wrote it (e.g. {@code compression.rate}). */
    public String param() {
        return param;
    }
}
