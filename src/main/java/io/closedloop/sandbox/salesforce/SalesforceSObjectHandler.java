package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.salesforce.SalesforceOrg.ValidationException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** Single-record resources (reference §3.4): create 201, update 204, upsert by external id 201/200/300, read. */
final class SalesforceSObjectHandler {
    private final SalesforceOrg org;

    SalesforceSObjectHandler(SalesforceOrg org) {
        this.org = org;
    }

    EmulatorResponse create(EmulatorRequest request, Matcher path) {
        String version = path.group(1);
        SalesforceObjectType type = type(path.group(2));
        Map<String, Object> fields = fields(request);
        try {
            String id = org.create(type.name(), fields, true);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("success", true);
            body.put("errors", List.of());
            body.put("warnings", List.of());
            return EmulatorResponse.json(201, body).withHeader("Location", location(version, type, id));
        } catch (ValidationException e) {
            return SalesforceErrors.error(400, e);
        }
    }

    EmulatorResponse update(EmulatorRequest request, Matcher path) {
        SalesforceObjectType type = type(path.group(2));
        String id = path.group(3);
        Map<String, Object> fields = fields(request);
        fields.keySet().removeIf(k -> k.equalsIgnoreCase("id"));
        try {
            org.store().lock();
            try {
                if (SalesforceIds.wellFormed(id) && org.store().get(id) == null) {
                    throw SalesforceErrors.notFound();
                }
                org.update(type.name(), id, fields, true);
            } finally {
                org.store().unlock();
            }
            return EmulatorResponse.noContent();
        } catch (ValidationException e) {
            return SalesforceErrors.error(400, e);
        }
    }

    EmulatorResponse upsert(EmulatorRequest request, Matcher path) {
        String version = path.group(1);
        SalesforceObjectType type = type(path.group(2));
        SalesforceField field = type.field(path.group(3));
        if (field == null || !field.externalId()) {
            throw SalesforceErrors.fail(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + path.group(3));
        }
        String value = URLDecoder.decode(path.group(4), StandardCharsets.UTF_8);
        Map<String, Object> fields = fields(request);
        fields.keySet().removeIf(k -> k.equalsIgnoreCase(field.name()));
        fields.put(field.name(), value);
        org.store().lock();
        try {
            Set<String> matches = org.store().lookup(type.name(), field.name(), value);
            if (matches.size() > 1) {
                // several matches answer 300 with the matching records' URLs (reference §3.4, [ERRCODES])
                List<String> urls = new ArrayList<>();
                matches.forEach(id -> urls.add(location(version, type, id)));
                return EmulatorResponse.json(300, urls);
            }
            SalesforceOrg.SaveOutcome outcome = org.upsert(type.name(), field.name(), value, fields, true);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", outcome.id());
            body.put("success", true);
            body.put("errors", List.of());
            body.put("created", outcome.created());
            EmulatorResponse response = EmulatorResponse.json(outcome.created() ? 201 : 200, body);
            return outcome.created() ? response.withHeader("Location", location(version, type, outcome.id())) : response;
        } catch (ValidationException e) {
            return SalesforceErrors.error(400, e);
        } finally {
            org.store().unlock();
        }
    }

    EmulatorResponse get(EmulatorRequest request, Matcher path) {
        SalesforceObjectType type = type(path.group(2));
        String id = path.group(3);
        org.store().lock();
        try {
            Map<String, Object> record = SalesforceIds.wellFormed(id) ? org.store().get(id) : null;
            if (record == null || org.store().schemaFor(id) != type) {
                throw SalesforceErrors.notFound();
            }
            return EmulatorResponse.json(200, SalesforceRecordRenderer.full(type, record, path.group(1)));
        } finally {
            org.store().unlock();
        }
    }

    private SalesforceObjectType type(String name) {
        SalesforceObjectType type = org.schema().object(name);
        if (type == null) {
            throw SalesforceErrors.notFound();
        }
        return type;
    }

    private static Map<String, Object> fields(EmulatorRequest request) {
        Map<String, Object> fields = new LinkedHashMap<>(SalesforceErrors.readObject(request.body()));
        fields.remove("attributes");
        return fields;
    }

    private static String location(String version, SalesforceObjectType type, String id) {
        return "/services/data/" + version + "/sobjects/" + type.name() + "/" + id;
    }
}
