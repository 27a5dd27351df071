package io.linguagate.plan;

/**
 * The text's {@code <llmlingua>} tags are malformed. Its message quotes the offending tag and
 * says what is valid, so the HTTP layer can hand it to the client as a 400 unchanged.
 */
public final class InvalidSegmentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidSegmentException(String message) {
        super(message);
    }
}
