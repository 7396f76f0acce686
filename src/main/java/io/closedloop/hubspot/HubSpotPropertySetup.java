package io.closedloop.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.core.MarketingSlaStatus;
import io.closedloop.core.SkippableSyncException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the Closedloop property group and the sales-feedback contact properties exist (hubspot-api.md §6),
 * idempotently: two reads when everything is in place; a missing property is created, a missing option added.
 */
public class HubSpotPropertySetup {
    public static final String GROUP = "closedloop";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotPropertySetup.class);

    /** A contact property Closedloop writes; options only for enumerations (value -> label). */
    public record Property(String name, String label, String type, String fieldType, String description, Map<String, String> options) {
    }

    private final HubSpotClient client;
    private final Map<String, Set<String>> optionsSeen = new java.util.concurrent.ConcurrentHashMap<>();

    public HubSpotPropertySetup(HubSpotClient client) {
        this.client = client;
    }

    /** The properties Flow 2 writes, with the rejection reasons Salesforce offers as options. */
    public static List<Property> salesFeedback(List<String> rejectionReasons, List<String> dispositions, List<String> slaStatuses) {
        return List.of(
                new Property(HubSpotNames.SALES_DISPOSITION, "Sales disposition", "enumeration", "select",
                        "What sales did with the lead (Closedloop, from Salesforce)", options(dispositions)),
                new Property(HubSpotNames.SALES_REJECTION_REASON, "Sales rejection reason", "enumeration", "select",
                        "Why sales rejected the lead (Closedloop, from the Salesforce Lead's Rejection Reason)", options(rejectionReasons)),
                new Property(HubSpotNames.SALES_REJECTION_DETAIL, "Sales rejection detail", "string", "textarea",
                        "The rep's own words on the rejection (Closedloop)", Map.of()),
                new Property(HubSpotNames.SALES_DISPOSITION_AT, "Sales disposition date", "datetime", "date",
                        "When sales last changed the disposition (Closedloop)", Map.of()),
                new Property(HubSpotNames.SALES_OWNER, "Sales owner", "string", "text", "The Salesforce owner of the lead or contact (Closedloop)", Map.of()),
                new Property(HubSpotNames.SALES_SLA_STATUS, "Sales hand-off SLA", "enumeration", "select",
                        "Whether sales worked the MQL within the hand-off SLA (Closedloop)", options(slaStatuses)),
                new Property(HubSpotNames.SALES_SLA_DUE_AT, "Sales hand-off SLA due", "datetime", "date",
                        "When the MQL must be worked by (Closedloop)", Map.of()),
                new Property(MarketingSlaStatus.STATUS_PROPERTY, "Marketing SLA (reverse)", "enumeration", "select",
                        "Whether marketing acted in time on a lead sales handed back (Closedloop)", options(MarketingSlaStatus.labels())),
                new Property(MarketingSlaStatus.DUE_PROPERTY, "Marketing SLA due", "datetime", "date",
                        "When marketing must act on the lead sales handed back (Closedloop)", Map.of()),
                new Property(HubSpotNames.SALES_QUALIFIED_AT, "Sales qualified at", "datetime", "date",
                        "When the lead became a sales-qualified lead under the agreed SQL definition (Closedloop, written once)", Map.of()),
                new Property("closed_won_amount", "Closed-won amount", "number", "number",
                        "Won opportunity amount this contact took part in (Closedloop)", Map.of()));
    }

    /** HubSpot option value for a label: lower case, underscores ("Not in ICP" -> "not_in_icp"). */
    public static String optionValue(String label) {
        return label.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }

    private static Map<String, String> options(List<String> labels) {
        Map<String, String> out = new LinkedHashMap<>();
        labels.forEach(l -> out.put(optionValue(l), l));
        return out;
    }

    /** Returns the number of writes it took (0 when everything was in place). */
    public int ensure(List<Property> properties) {
        int writes = 0;
        Set<String> groups = new LinkedHashSet<>();
        client.get("/crm/v3/properties/contacts/groups", Map.of()).body().path("results").forEach(g -> groups.add(g.path("name").asText()));
        if (!groups.contains(GROUP)) {
            createOrConfirm("/crm/v3/properties/contacts/groups", Map.of("name", GROUP, "label", "Closedloop (sales feedback)",
                    "displayOrder", -1), () -> groupExists());
            writes++;
        }
        Map<String, JsonNode> existing = new LinkedHashMap<>();
        client.get("/crm/v3/properties/contacts", Map.of()).body().path("results").forEach(p -> existing.put(p.path("name").asText(), p));
        existing.forEach((name, p) -> {
            Set<String> values = new LinkedHashSet<>();
            p.path("options").forEach(o -> values.add(o.path("value").asText()));
            optionsSeen.put(name, values);
        });
        for (Property p : properties) {
            JsonNode current = existing.get(p.name());
            if (current == null) {
                createOrConfirm("/crm/v3/properties/contacts", body(p, p.options().keySet()), () -> propertyExists(p.name()));
                LOG.info("created HubSpot contact property {}", p.name());
                writes++;
                continue;
            }
            Set<String> have = new LinkedHashSet<>();
            current.path("options").forEach(o -> have.add(o.path("value").asText()));
            if (!have.containsAll(p.options().keySet())) {
                // options are added, never removed: values already on contacts stay valid
                Set<String> all = new LinkedHashSet<>(p.options().keySet());
                all.addAll(have);
                Map<String, String> labels = new LinkedHashMap<>();
                current.path("options").forEach(o -> labels.put(o.path("value").asText(), o.path("label").asText()));
                labels.putAll(p.options());
                client.patch("/crm/v3/properties/contacts/" + p.name(), Map.of("options", optionList(all, labels)));
                LOG.info("added options to HubSpot contact property {}", p.name());
                writes++;
            }
        }
        return writes;
    }

    /** The option values of a property as read by the last {@link #ensure}; empty if it was not there. */
    public Set<String> optionsOf(String property) {
        return optionsSeen.getOrDefault(property, Set.of());
    }

    private static Map<String, Object> body(Property p, Set<String> values) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", p.name());
        body.put("label", p.label());
        body.put("groupName", GROUP);
        body.put("type", p.type());
        body.put("fieldType", p.fieldType());
        body.put("description", p.description());
        body.put("formField", false);
        body.put("hidden", false);
        if (p.type().equals("enumeration")) {
            body.put("options", optionList(values, p.options()));
        }
        return body;
    }

    private static List<Map<String, Object>> optionList(Set<String> values, Map<String, String> labels) {
        List<Map<String, Object>> out = new ArrayList<>();
        int order = 1;
        for (String v : values) {
            out.add(Map.of("label", labels.getOrDefault(v, v), "value", v, "displayOrder", order++, "hidden", false));
        }
        return out;
    }

    /** A create that fails because another instance created it first (409) is fine. */
    private void createOrConfirm(String path, Map<String, Object> body, java.util.function.BooleanSupplier exists) {
        try {
            client.post(path, body);
        } catch (SkippableSyncException e) {
            if (!exists.getAsBoolean()) {
                throw e;
            }
        }
    }

    private boolean groupExists() {
        for (JsonNode g : client.get("/crm/v3/properties/contacts/groups", Map.of()).body().path("results")) {
            if (GROUP.equals(g.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private boolean propertyExists(String name) {
        for (JsonNode p : client.get("/crm/v3/properties/contacts", Map.of()).body().path("results")) {
            if (name.equals(p.path("name").asText())) {
                return true;
            }
        }
        return false;
    }
}
