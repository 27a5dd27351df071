package io.linguagate.upstream;

import io.vertx.core.MultiMap;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads how long the upstream asked us to wait: {@code retry-after-ms} (OpenAI) or {@code Retry-After}. */
final class RetryAfter {

    private RetryAfter() {
    }

    /** Milliseconds to wait, or -1 when the headers name no (valid) delay. */
    static long millis(MultiMap headers) {
        long ms = parseMillis(headers.get("retry-after-ms"));
        if (ms >= 0) {
            return ms;
        }
        return parseRetryAfter(headers.get("retry-after"), Instant.now());
    }

    static long parseMillis(String value) {
        if (value == null) {
            return -1;
        }
        try {
            double ms = Double.parseDouble(value.trim());
            return ms >= 0 && Double.isFinite(ms) ? (long) Math.ceil(ms) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code Retry-After} is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
    static long parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds >= 0 && Double.isFinite(seconds) ? (long) Math.ceil(seconds * 1000) : -1;
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
            } catch (DateTimeParseException notDate) {
                return -1;
            }
        }
    }
}
