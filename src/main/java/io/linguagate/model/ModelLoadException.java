package io.linguagate.model;

/**
 * A model that cannot be used, for a reason an operator can fix (missing file, wrong shape, mismatched
 * vocabulary, unusable device). The message names the file or setting and what is wrong; no stack trace is logged.
 */
public final class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message, null, false, false);
    }
}
