package io.closedloop.sandbox.hubspot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in contact property definitions the daemon reads (§4.1), in the Property shape of §6.2. */
final class HubSpotContactProperties {
    static final List<String> LIFECYCLE_STAGES = List.of("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
            "opportunity", "customer", "evangelist", "other");
    static final List<String> LEAD_STATUSES = List.of("NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
            "ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING");

    private HubSpotContactProperties() {
    }

    static Map<String, Map<String, Object>> groups(Instant now) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String[] g : new String[][] {{"contactinformation", "Contact information"}, {"analyticsinformation", "Web analytics history"},
                {"conversioninformation", "Conversion information"}, {"sales_properties", "Sales properties"}}) {
            out.put(g[0], group(g[0], g[1], out.size()));
        }
        return out;
    }

    static Map<String, Object> group(String name, String label, int displayOrder) {
        return HubSpotJson.obj("name", name, "label", label, "displayOrder", displayOrder, "archived", false);
    }

    /** The property holding when a contact entered a default lifecycle stage, e.g. hs_lifecyclestage_lead_date. */
    static String stageDate(String stage) {
        return "hs_lifecyclestage_" + stage + "_date";
    }

    static Map<String, Map<String, Object>> standard(Instant now) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        add(out, now, "email", "Email", "string", "text", "contactinformation", false, true, null);
        add(out, now, "firstname", "First Name", "string", "text", "contactinformation", false, false, null);
        add(out, now, "lastname", "Last Name", "string", "text", "contactinformation", false, false, null);
        add(out, now, "company", "Company Name", "string", "text", "contactinformation", false, false, null);
        add(out, now, "jobtitle", "Job Title", "string", "text", "contactinformation", false, false, null);
        add(out, now, "phone", "Phone Number", "string", "phonenumber", "contactinformation", false, false, null);
        add(out, now, "website", "Website URL", "string", "text", "contactinformation", false, false, null);
        add(out, now, "hubspotscore", "HubSpot Score", "number", "number", "contactinformation", true, false, null);
        add(out, now, "lifecyclestage", "Lifecycle Stage", "enumeration", "radio", "contactinformation", false, false, LIFECYCLE_STAGES);
        // "Became a ... Date": HubSpot stamps the moment a contact enters each default stage
        for (String stage : LIFECYCLE_STAGES) {
            add(out, now, stageDate(stage), "Became a " + stage + " Date", "datetime", "date", "contactinformation", true, false, null);
        }
        add(out, now, "hs_lead_status", "Lead Status", "enumeration", "select", "sales_properties", false, false, LEAD_STATUSES);
        // owners are external options: any owner id is accepted
        add(out, now, "hubspot_owner_id", "Contact owner", "enumeration", "select", "sales_properties", false, false, List.of());
        out.get("hubspot_owner_id").put("externalOptions", true);
        add(out, now, "hs_email_domain", "Email Domain", "string", "text", "contactinformation", true, false, null);
        add(out, now, "hs_analytics_num_page_views", "Number of Pageviews", "number", "number", "analyticsinformation", true, false, null);
        add(out, now, "hs_analytics_last_url", "Last Page Seen", "string", "text", "analyticsinformation", true, false, null);
        add(out, now, "hs_analytics_last_visit_timestamp", "Time Last Seen", "datetime", "date", "analyticsinformation", true, false, null);
        add(out, now, "recent_conversion_event_name", "Recent Conversion", "string", "text", "conversioninformation", true, false, null);
        add(out, now, "recent_conversion_date", "Recent Conversion Date", "datetime", "date", "conversioninformation", true, false, null);
        add(out, now, "hs_object_id", "Record ID", "number", "number", "contactinformation", true, true, null);
        add(out, now, "createdate", "Create Date", "datetime", "date", "contactinformation", true, false, null);
        add(out, now, "lastmodifieddate", "Last Modified Date", "datetime", "date", "contactinformation", true, false, null);
        return out;
    }

    private static void add(Map<String, Map<String, Object>> out, Instant now, String name, String label, String type, String fieldType,
                            String group, boolean readOnly, boolean unique, List<String> options) {
        List<Map<String, Object>> opts = new ArrayList<>();
        if (options != null) {
            for (int i = 0; i < options.size(); i++) {
                opts.add(HubSpotJson.obj("label", options.get(i), "value", options.get(i), "displayOrder", i, "hidden", false));
            }
        }
        Map<String, Object> p = definition(name, label, type, fieldType, group, "", opts, out.size(), false, !readOnly, unique, now);
        p.put("hubspotDefined", true);
        p.put("calculated", readOnly);
        p.put("modificationMetadata", HubSpotJson.obj("archivable", false, "readOnlyDefinition", true, "readOnlyValue", readOnly,
                "readOnlyOptions", options == null));
        out.put(name, p);
    }

    static Map<String, Object> definition(String name, String label, String type, String fieldType, String group, String description,
                                          List<Map<String, Object>> options, int displayOrder, boolean hidden, boolean formField,
                                          boolean unique, Instant now) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("label", label);
        p.put("type", type);
        p.put("fieldType", fieldType);
        p.put("description", description);
        p.put("groupName", group);
        p.put("options", options);
        p.put("displayOrder", displayOrder);
        p.put("calculated", false);
        p.put("externalOptions", false);
        p.put("hasUniqueValue", unique);
        p.put("hidden", hidden);
        p.put("hubspotDefined", false);
        p.put("modificationMetadata", HubSpotJson.obj("archivable", true, "readOnlyDefinition", false, "readOnlyValue", false,
                "readOnlyOptions", false));
        p.put("formField", formField);
        p.put("createdAt", HubSpotJson.iso(now));
        p.put("updatedAt", HubSpotJson.iso(now));
        p.put("archived", false);
        return p;
    }

    static boolean readOnlyValue(Map<String, Object> definition) {
        return definition.get("modificationMetadata") instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("readOnlyValue"));
    }
}
