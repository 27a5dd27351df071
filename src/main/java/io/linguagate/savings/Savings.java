package io.linguagate.savings;

import io.linguagate.lingua.RatioFormat;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Tokens and dollars one request saved, priced for its target model.
 *
 * @param model            the target model named in the request
 * @param originalTokens   prompt-text tokens before compression
 * @param compressedTokens prompt-text tokens after
 * @param usdPerMillion    the model's input price, if known
 */
public record Savings(String model, int originalTokens, int compressedTokens, Optional<BigDecimal> usdPerMillion) {

    public int savedTokens() {
        return originalTokens - compressedTokens;
    }

    /** Dollars saved; zero when the price is unknown. */
    public BigDecimal savedUsd() {
        return usdPerMillion.map(p -> p.multiply(BigDecimal.valueOf(savedTokens()))
                .divide(BigDecimal.valueOf(1_000_000))).orElse(BigDecimal.ZERO);
    }

    /** Original / compressed, e.g. {@code "2.4x"}. */
    public String ratio() {
        return RatioFormat.ratioString(originalTokens, compressedTokens);
    }
}
