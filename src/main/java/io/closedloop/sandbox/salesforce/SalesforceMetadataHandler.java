package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Versions, describe (reference §7, §9.8) and limits (§6.1). */
final class SalesforceMetadataHandler {
    private static final String[][] VERSIONS = {{"Summer '24", "61.0"}, {"Winter '25", "62.0"}, {"Spring '25", "63.0"},
        {"Summer '25", "64.0"}};

    private final SalesforceOrg org;
    private final long dailyLimit;

    SalesforceMetadataHandler(SalesforceOrg org, long dailyLimit) {
        this.org = org;
        this.dailyLimit = dailyLimit;
    }

    EmulatorResponse versions(EmulatorRequest request, Matcher path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String[] v : VERSIONS) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", v[0]);
            entry.put("url", "/services/data/v" + v[1]);
            entry.put("version", v[1]);
            out.add(entry);
        }
        return EmulatorResponse.json(200, out);
    }

    EmulatorResponse limits(EmulatorRequest request, Matcher path) {
        long used = org.apiCallsToday();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("DailyApiRequests", limit(dailyLimit, Math.max(0, dailyLimit - used)));
        out.put("DailyBulkApiRequests", limit(10_000, 10_000));
        out.put("DataStorageMB", limit(1_024, 1_024));
        return EmulatorResponse.json(200, out);
    }

    EmulatorResponse describe(EmulatorRequest request, Matcher path) {
        SalesforceObjectType type = org.schema().object(path.group(2));
        SalesforceAccess access = org.access();
        // an object the user cannot read is not there for it
        if (type == null || !access.object(type.name()).read()) {
            throw SalesforceErrors.notFound();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", type.name());
        out.put("label", type.name());
        out.put("keyPrefix", type.keyPrefix());
        out.put("custom", type.custom());
        out.put("createable", access.object(type.name()).create());
        out.put("updateable", access.object(type.name()).edit());
        out.put("queryable", true);
        List<Map<String, Object>> fields = new ArrayList<>();
        for (SalesforceField f : type.fields()) {
            if (access.visible(type, f)) {
                fields.add(field(f, access.createable(type, f), access.updateable(type, f)));
            }
        }
        out.put("fields", fields);
        Map<String, Object> urls = new LinkedHashMap<>();
        urls.put("sobject", "/services/data/" + path.group(1) + "/sobjects/" + type.name());
        urls.put("describe", "/services/data/" + path.group(1) + "/sobjects/" + type.name() + "/describe");
        out.put("urls", urls);
        return EmulatorResponse.json(200, out);
    }

    private static Map<String, Object> field(SalesforceField f, boolean createable, boolean updateable) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", f.name());
        d.put("label", f.label());
        d.put("type", f.type().describeName());
        d.put("length", f.length());
        d.put("precision", f.type().isNumeric() ? 18 : 0);
        d.put("scale", f.type() == SalesforceFieldType.CURRENCY ? 2 : 0);
        d.put("custom", f.custom());
        d.put("externalId", f.externalId());
        d.put("unique", f.unique());
        d.put("idLookup", f.indexed());
        d.put("nillable", f.nillable());
        d.put("createable", createable);
        d.put("updateable", updateable);
        d.put("defaultedOnCreate", f.defaultValue() != null || f.type() == SalesforceFieldType.BOOLEAN
                || f.name().equals("OwnerId") || !f.createable());
        d.put("calculated", false);
        d.put("caseSensitive", false);
        d.put("restrictedPicklist", f.restricted());
        List<Map<String, Object>> values = new ArrayList<>();
        for (String v : f.picklistValues()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("active", true);
            p.put("defaultValue", v.equals(f.defaultValue()));
            p.put("label", v);
            p.put("validFor", null);
            p.put("value", v);
            values.add(p);
        }
        d.put("picklistValues", values);
        d.put("referenceTo", f.referenceTo());
        d.put("relationshipName", f.relationshipName());
        return d;
    }

    private static Map<String, Object> limit(long max, long remaining) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Max", max);
        m.put("Remaining", remaining);
        return m;
    }
}
