package io.linguagate.savings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.SavingsConfig;
import io.quarkus.runtime.configuration.ConfigurationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    static SavingsConfig config(String fallback, Path priceFile) {
        return new SavingsConfig() {
            @Override
            public String fallbackEncoding() {
                return fallback;
            }

            @Override
            public Optional<Path> priceFile() {
                return Optional.ofNullable(priceFile);
            }
        };
    }

    private static void assertPrice(String expected, Optional<BigDecimal> actual) {
        assertTrue(actual.isPresent(), "no price");
        assertEquals(0, new BigDecimal(expected).compareTo(actual.get()), expected + " vs " + actual.get());
    }

    private static PriceTable bundled() {
        return new PriceTable(config("cl100k_base", null), new ObjectMapper());
    }

    @Test
    void bundledPricesCoverCurrentOpenAiModels() {
        PriceTable prices = bundled();
        assertPrice("2.50", prices.inputUsdPerMillion("gpt-4o"));
        assertPrice("0.15", prices.inputUsdPerMillion("gpt-4o-mini"));
        assertPrice("1.25", prices.inputUsdPerMillion("gpt-5"));
    }

    @Test
    void claudeModelsArePricedWithTheirSnapshotsAndAliases() {
        PriceTable prices = bundled();
        assertPrice("3.00", prices.inputUsdPerMillion("claude-sonnet-4-5-20250929"));
        assertPrice("3.00", prices.inputUsdPerMillion("claude-3-7-sonnet-latest"));
        assertPrice("1.00", prices.inputUsdPerMillion("claude-haiku-4-5"));
        assertPrice("15.00", prices.inputUsdPerMillion("anthropic/claude-opus-4-1-20250805"));
        assertEquals("claude-sonnet-4-5", prices.canonicalName("claude-sonnet-4-5-20250929"));
    }

    @Test
    void snapshotsUseTheirFamilyPriceUnlessListedThemselves() {
        PriceTable prices = bundled();
        assertPrice("2.50", prices.inputUsdPerMillion("gpt-4o-2024-08-06"));
        assertPrice("5.00", prices.inputUsdPerMillion("gpt-4o-2024-05-13"));
        assertPrice("0.50", prices.inputUsdPerMillion("gpt-3.5-turbo-0125"));
        assertPrice("0.15", prices.inputUsdPerMillion(" OpenAI/GPT-4o-mini "));
    }

    @Test
    void unknownModelsHaveNoPrice() {
        assertTrue(bundled().inputUsdPerMillion("llama-3.1-70b").isEmpty());
    }

    @Test
    void savedDollarsAreExact() {
        // 1,234 tokens at $2.50 per 1M = $0.003085
        Savings savings = new Savings("gpt-4o", 2000, 766, bundled().inputUsdPerMillion("gpt-4o"));
        assertEquals(0, new BigDecimal("0.003085").compareTo(savings.savedUsd()));
        assertEquals("2.6x", savings.ratio());
        assertEquals(0, BigDecimal.ZERO.compareTo(new Savings("llama", 2000, 766, Optional.empty()).savedUsd()));
    }

    @Test
    void operatorFileOverridesAndExtends(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, """
                {"models": {"gpt-4o": {"input_usd_per_1m_tokens": 2.0},
                            "llama-3.1-70b": {"input_usd_per_1m_tokens": 0.88}}}""");
        PriceTable prices = new PriceTable(config("cl100k_base", file), new ObjectMapper());
        assertPrice("2.0", prices.inputUsdPerMillion("gpt-4o"));
        assertPrice("0.88", prices.inputUsdPerMillion("llama-3.1-70b"));
        assertPrice("0.15", prices.inputUsdPerMillion("gpt-4o-mini"));
    }

    @Test
    void badOperatorFileStopsTheStartNamingTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"models\": {\"gpt-4o\": {\"input_usd_per_1m_tokens\": \"cheap\"}}}");
        var e = assertThrows(ConfigurationException.class,
                () -> new PriceTable(config("cl100k_base", file), new ObjectMapper()));
        assertTrue(e.getMessage().contains("gpt-4o"), e.getMessage());
        var missing = assertThrows(ConfigurationException.class,
                () -> new PriceTable(config("cl100k_base", dir.resolve("none.json")), new ObjectMapper()));
        assertTrue(missing.getMessage().contains("LINGUAGATE_SAVINGS_PRICE_FILE"), missing.getMessage());
    }
}
