package io.linguagate.model;

/** An inference that failed at run time (the model was loaded fine). Callers fail open. */
public final class InferenceException extends RuntimeException {

    public InferenceException(String message) {
        super(message);
    }
}
