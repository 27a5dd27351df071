package io.linguagate.savings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.linguagate.config.SavingsConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Input-token prices of target models, kept as data: the bundled {@code prices.json}, overlaid by the operator's
 * file ({@code linguagate.savings.price-file}). A model the table does not know has no price (its savings are
 * reported in tokens only).
 */
@Startup // created at start: a bad setting stops the start, and the first request pays no loading
@ApplicationScoped
public class PriceTable {

    private static final Logger LOG = Logger.getLogger(PriceTable.class);
    private static final String BUNDLED = "/io/linguagate/savings/prices.json";
    private static final String PRICE_FIELD = "input_usd_per_1m_tokens";
    /** Date snapshots: {@code -2024-08-06} or {@code -0613}. */
    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4}|latest)$");

    private final Map<String, BigDecimal> usdPerMillion;

    PriceTable(SavingsConfig config, ObjectMapper json) {
        Map<String, BigDecimal> prices = new HashMap<>();
        try (InputStream bundled = PriceTable.class.getResourceAsStream(BUNDLED)) {
            read(json.readTree(bundled), BUNDLED, prices);
        } catch (IOException e) {
            throw new IllegalStateException("The bundled price table " + BUNDLED + " is unreadable", e);
        }
        config.priceFile().ifPresent(file -> {
            try {
                read(json.readTree(Files.readAllBytes(file)), file.toString(), prices);
                LOG.infof("Prices from %s overlay the bundled table (%d models priced)", file, prices.size());
            } catch (IOException e) {
                throw new ConfigurationException("linguagate.savings.price-file: cannot read " + file + ": "
                        + e.getMessage() + " (env LINGUAGATE_SAVINGS_PRICE_FILE)");
            }
        });
        this.usdPerMillion = Map.copyOf(prices);
    }

    /** USD per one million input tokens of {@code model}, if priced. */
    public Optional<BigDecimal> inputUsdPerMillion(String model) {
        return Optional.ofNullable(usdPerMillion.get(canonicalName(model)));
    }

    /**
     * The table's name for {@code model}: normalised, and without a date suffix unless the snapshot is priced
     * itself. Bounded by the table, so usable as a metric tag when the model is priced.
     */
    public String canonicalName(String model) {
        String name = normalise(model);
        return usdPerMillion.containsKey(name) ? name : SNAPSHOT_SUFFIX.matcher(name).replaceFirst("");
    }

    /** Lower-case, trimmed, without a provider prefix such as {@code openai/}. */
    static String normalise(String model) {
        String name = model.trim().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }

    private static void read(JsonNode root, String source, Map<String, BigDecimal> into) {
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isObject()) {
            throw new ConfigurationException(source + ": expected {\"models\": {\"<model>\": {\"" + PRICE_FIELD
                    + "\": <number>}}}");
        }
        for (var entry : models.properties()) {
            JsonNode price = entry.getValue().get(PRICE_FIELD);
            if (price == null || !price.isNumber() || price.decimalValue().signum() < 0) {
                throw new ConfigurationException(source + ": model '" + entry.getKey() + "' needs a non-negative "
                        + PRICE_FIELD);
            }
            into.put(normalise(entry.getKey()), price.decimalValue());
        }
    }
}
