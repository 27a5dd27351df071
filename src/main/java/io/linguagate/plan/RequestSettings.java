package io.linguagate.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.linguagate.config.CompressionConfig;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compression settings of one chat request: the configured policy, overridden by the request's headers
 * ({@code x-compression: on|off}, {@code x-compression-rate}) and then by its body field
 * {@code "compression": {"enabled", "rate", "target_token", "force_tokens", "roles"}} (SDKs send it as extra body).
 *
 * @param enabled     whether to compress at all
 * @param rate        default fraction of tokens kept
 * @param roleRates   rate per role where it differs from {@code rate}
 * @param roles       roles whose text is compressed (the last user message follows its own rule)
 * @param targetToken a token budget for all compressible text together ({@code -1}: none)
 * @param forceTokens the caller's force tokens ({@code "\n"} is always added)
 */
public record RequestSettings(boolean enabled, double rate, Map<String, Double> roleRates, Set<String> roles,
        int targetToken, List<String> forceTokens) {

    public static final String HEADER_SWITCH = "x-compression";
    public static final String HEADER_RATE = "x-compression-rate";
    public static final String BODY_FIELD = "compression";
    /** Force tokens map to the classifier's 100 placeholders; one is taken by {@code "\n"}. */
    static final int MAX_FORCE_TOKENS = 99;

    public RequestSettings {
        roleRates = Map.copyOf(roleRates);
        roles = Set.copyOf(roles);
        forceTokens = List.copyOf(forceTokens);
    }

    /** The rate for text of {@code role}. */
    public double rateFor(String role) {
        return roleRates.getOrDefault(role, rate);
    }

    /**
     * Whether the request sets anything itself (a header or the body's field); without, its settings are the
     * configuration's, which a caller may keep instead of building them per request.
     */
    public static boolean hasControls(MultiMap headers, JsonNode field) {
        return (field != null && !field.isNull()) || headers.contains(HEADER_SWITCH) || headers.contains(HEADER_RATE);
    }

    /** Settings from configuration, headers and the body's {@code compression} field (which may be null). */
    public static RequestSettings of(CompressionConfig config, MultiMap headers, JsonNode field) {
        boolean enabled = config.enabled();
        double rate = config.rate();
        Map<String, Double> roleRates = new HashMap<>(config.roleRates());
        Set<String> roles = new HashSet<>(config.roles());
        int targetToken = -1;
        List<String> forceTokens = List.of();

        String switchHeader = headers.get(HEADER_SWITCH);
        if (switchHeader != null) {
            enabled = switch (switchHeader.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "1" -> true;
                case "off", "false", "0" -> false;
                default -> throw new InvalidSettingException(HEADER_SWITCH,
                        "Invalid value for header '" + HEADER_SWITCH + "': use on or off.");
            };
        }
        String rateHeader = headers.get(HEADER_RATE);
        if (rateHeader != null) {
            try {
                rate = checkRate(HEADER_RATE, Double.parseDouble(rateHeader.trim()));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(HEADER_RATE,
                        "Invalid value for header '" + HEADER_RATE + "': expected a number in (0, 1].");
            }
            roleRates.clear(); // an explicit rate applies to every role
        }
        if (field != null && !field.isNull()) {
            if (!field.isObject()) {
                throw new InvalidSettingException(BODY_FIELD, "Invalid type for 'compression': expected an object.");
            }
            for (var name : (Iterable<String>) field::fieldNames) {
                JsonNode value = field.get(name);
                String param = BODY_FIELD + "." + name;
                switch (name) {
                    case "enabled" -> enabled = bool(param, value);
                    case "rate" -> {
                        rate = checkRate(param, number(param, value));
                        roleRates.clear();
                    }
                    case "target_token" -> targetToken = positiveInt(param, value);
                    case "force_tokens" -> forceTokens = forceTokens(param, value);
                    case "roles" -> roles(param, value, roles, roleRates);
                    default -> throw new InvalidSettingException(param, "Unrecognized compression setting '" + name
                            + "': use enabled, rate, target_token, force_tokens or roles.");
                }
            }
        }
        return new RequestSettings(enabled, rate, roleRates, roles, targetToken, forceTokens);
    }

    /** {@code roles}: a list of role names to compress, or an object of role → rate (false: keep intact). */
    private static void roles(String param, JsonNode value, Set<String> roles, Map<String, Double> roleRates) {
        roles.clear();
        if (value.isArray()) {
            for (JsonNode role : value) {
                if (!role.isTextual()) {
                    throw wrongType(param, "an array of role names or an object of role → rate");
                }
                roles.add(role.textValue());
            }
        } else if (value.isObject()) {
            for (var entry : value.properties()) {
                JsonNode v = entry.getValue();
                if (v.isBoolean()) {
                    if (v.booleanValue()) {
                        roles.add(entry.getKey());
                    }
                } else if (v.isNumber()) {
                    roles.add(entry.getKey());
                    roleRates.put(entry.getKey(), checkRate(param + "." + entry.getKey(), v.doubleValue()));
                } else {
                    throw wrongType(param + "." + entry.getKey(), "a rate in (0, 1] or a boolean");
                }
            }
        } else {
            throw wrongType(param, "an array of role names or an object of role → rate");
        }
    }

    private static List<String> forceTokens(String param, JsonNode value) {
        if (!value.isArray()) {
            throw wrongType(param, "an array of strings");
        }
        List<String> tokens = new ArrayList<>();
        for (JsonNode t : value) {
            if (!t.isTextual() || t.textValue().isEmpty()) {
                throw wrongType(param, "an array of non-empty strings");
            }
            if (!t.textValue().equals("\n") && !tokens.contains(t.textValue())) {
                tokens.add(t.textValue());
            }
        }
        if (tokens.size() > MAX_FORCE_TOKENS) {
            throw new InvalidSettingException(param, "Invalid value for '" + param + "': at most " + MAX_FORCE_TOKENS
                    + " force tokens (besides \"\\n\", always forced), got " + tokens.size() + ".");
        }
        return tokens;
    }

    static double checkRate(String param, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new InvalidSettingException(param, "Invalid value for '" + param + "': a rate must be in (0, 1], got "
                    + rate + ".");
        }
        return rate;
    }

    private static boolean bool(String param, JsonNode value) {
        if (!value.isBoolean()) {
            throw wrongType(param, "a boolean");
        }
        return value.booleanValue();
    }

    private static double number(String param, JsonNode value) {
        if (!value.isNumber()) {
            throw wrongType(param, "a number");
        }
        return value.doubleValue();
    }

    private static int positiveInt(String param, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
            throw new InvalidSettingException(param, "Invalid value for '" + param + "': expected a positive integer.");
        }
        return value.intValue();
    }

    private static InvalidSettingException wrongType(String param, String expected) {
        return new InvalidSettingException(param, "Invalid type for '" + param + "': expected " + expected + ".");
    }
}
