package io.linguagate.plan;

/** A prompt that was to be compressed as JSON is not a JSON object or array (the client's error). */
public final class InvalidJsonPromptException extends RuntimeException {

    private final String param;

    public InvalidJsonPromptException(String param) {
        super("'" + param + "' is not a JSON object or array (json: true compresses a JSON document's string "
                + "values); send it without json: true to compress it as text.", null, false, false);
        this.param = param;
    }

    /** The request parameter at fault. */
    public String param() {
        return param;
    }
}
