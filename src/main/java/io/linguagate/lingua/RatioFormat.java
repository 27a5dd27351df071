package io.linguagate.lingua;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The reference's human-readable ratio and rate strings. Python's {@code f"{x:.1f}"} rounds the
 * exact binary value half-to-even; {@link String#format} does not (it rounds 0.35 up to "0.4"),
 * hence {@link BigDecimal}.
 */
public final class RatioFormat {

    private RatioFormat() {
    }

    /** Original / compressed tokens; 1 when nothing is left (the reference's convention). */
    public static double ratio(int originTokens, int compressedTokens) {
        return compressedTokens == 0 ? 1.0 : (double) originTokens / compressedTokens;
    }

    /** {@code "%.1fx"} of the ratio, e.g. {@code "3.1x"}. */
    public static String ratioString(int originTokens, int compressedTokens) {
        return oneDecimal(ratio(originTokens, compressedTokens)) + "x";
    }

    /** {@code "%.1f%%"} of 100 / ratio, e.g. {@code "32.0%"}. */
    public static String rateString(int originTokens, int compressedTokens) {
        return oneDecimal(1 / ratio(originTokens, compressedTokens) * 100) + "%";
    }

    static String oneDecimal(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }
}
