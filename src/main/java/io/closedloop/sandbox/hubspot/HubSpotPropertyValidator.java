package io.closedloop.sandbox.hubspot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks property writes against the definitions: unknown, read-only and bad enumeration values fail (§5.2, §12.8). */
final class HubSpotPropertyValidator {
    private final long portalId;

    HubSpotPropertyValidator(long portalId) {
        this.portalId = portalId;
    }

    /** The property errors of one write, in the entry shape embedded in a VALIDATION_ERROR message. */
    List<Map<String, Object>> validate(Map<String, String> changes, Map<String, Map<String, Object>> definitions) {
        List<Map<String, Object>> out = new ArrayList<>();
        changes.forEach((name, value) -> {
            Map<String, Object> def = definitions.get(name);
            if (def == null) {
                out.add(error(name, "Property \"" + name + "\" does not exist", "PROPERTY_DOESNT_EXIST"));
            } else if (HubSpotContactProperties.readOnlyValue(def)) {
                out.add(error(name, name + " is a read only property; its value cannot be set.", "READ_ONLY_VALUE"));
            } else if (value != null && !value.isEmpty()) {
                String problem = valueProblem(def, value);
                if (problem != null) {
                    out.add(error(name, problem, "enumeration".equals(def.get("type")) ? "INVALID_OPTION"
                            : "number".equals(def.get("type")) ? "INVALID_FLOAT" : "INVALID_DATE"));
                }
            }
        });
        return out;
    }

    private static String valueProblem(Map<String, Object> def, String value) {
        switch (String.valueOf(def.get("type"))) {
            case "enumeration" -> {
                if (Boolean.TRUE.equals(def.get("externalOptions"))) {
                    return null;
                }
                Set<String> allowed = new HashSet<>();
                if (def.get("options") instanceof List<?> options) {
                    options.forEach(o -> allowed.add(String.valueOf(((Map<?, ?>) o).get("value"))));
                }
                // multi-select values are joined with ';' (§6.2)
                for (String part : "checkbox".equals(def.get("fieldType")) ? value.split(";") : new String[] {value}) {
                    if (!allowed.contains(part)) {
                        return part + " was not one of the allowed options: " + new java.util.TreeSet<>(allowed);
                    }
                }
                return null;
            }
            case "number" -> {
                try {
                    new java.math.BigDecimal(value.trim());
                    return null;
                } catch (NumberFormatException e) {
                    return value + " was not a valid number.";
                }
            }
            case "datetime", "date" -> {
                return HubSpotJson.parseTime(value, true) == null ? value + " is not a valid datetime; send epoch milliseconds." : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Datetime values are stored as ISO-8601 whatever the caller sent. */
    static Map<String, String> normalize(Map<String, String> changes, Map<String, Map<String, Object>> definitions) {
        Map<String, String> out = new LinkedHashMap<>();
        changes.forEach((name, value) -> {
            Map<String, Object> def = definitions.get(name);
            if (def != null && "datetime".equals(def.get("type")) && value != null && !value.isEmpty()) {
                out.put(name, HubSpotJson.iso(HubSpotJson.parseTime(value, true)));
            } else {
                out.put(name, value);
            }
        });
        return out;
    }

    private Map<String, Object> error(String name, String message, String code) {
        return HubSpotJson.obj("isValid", false, "message", message, "error", code, "name", name,
                "localizedErrorMessage", message, "portalId", portalId);
    }
}
