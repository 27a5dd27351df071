package io.linguagate.lingua;

/** The compression's thread was interrupted (its caller stopped waiting); no further batch was run. */
public final class CompressionCancelledException extends RuntimeException {

    public CompressionCancelledException() {
        super("compression cancelled: nobody waits for its result", null, false, false);
    }
}
