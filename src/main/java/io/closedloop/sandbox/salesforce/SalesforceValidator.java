package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.salesforce.SalesforceOrg.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns caller input into canonical, typed field values, rejecting it with the per-record codes of reference §6.3. */
final class SalesforceValidator {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final SalesforceRecordStore store;

    SalesforceValidator(SalesforceRecordStore store) {
        this.store = store;
    }

    /**
     * Canonical name -> typed value for every input field; {@code insert} picks the create or update permission, and
     * {@code access} (null for the sandbox world's own writes) is the API caller's field-level security.
     */
    Map<String, Object> coerce(SalesforceObjectType type, Map<String, ?> input, boolean insert, SalesforceAccess access) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : input.entrySet()) {
            String name = e.getKey();
            if (name.equals("attributes")) {
                continue;
            }
            SalesforceField field = type.field(name);
            // a field the user cannot read is absent for the API, as in describe ("No such column" for a field without
            // field-level security, observed in wadewegner/Force.com-Toolkit-for-NET#90)
            if (field == null || (access != null && !access.visible(type, field))) {
                throw new ValidationException("INVALID_FIELD", "No such column '" + name + "' on sobject of type "
                        + type.name(), List.of(name));
            }
            if (field.type() == SalesforceFieldType.ID) {
                if (insert) {
                    throw new ValidationException("INVALID_FIELD", "cannot specify Id in an insert call", List.of("Id"));
                }
                continue;
            }
            // field-level security only: object permissions show in describe but are not enforced on writes here
            boolean writable = (insert ? field.createable() : field.updateable())
                    && (access == null || access.field(type, field).editable());
            // the text Salesforce returns for a read-only field (observed, verbb/formie#1981; reference §3.2)
            if (!writable) {
                throw new ValidationException("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name() + ". Please check the security settings of this field and verify that it"
                        + " is read/write for your profile or permission set.", List.of(field.name()));
            }
            out.put(field.name(), value(type, field, e.getValue()));
        }
        return out;
    }

    private Object value(SalesforceObjectType type, SalesforceField field, Object raw) {
        if (raw == null || (raw instanceof String s && s.isEmpty() && field.type() != SalesforceFieldType.BOOLEAN)) {
            if (field.restricted() && field.required()) {
                throw new ValidationException("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", field.name()
                        + ": bad value for restricted picklist field: null", List.of(field.name()));
            }
            return null;
        }
        return switch (field.type()) {
            case STRING, TEXTAREA, URL, EMAIL, PICKLIST -> text(field, raw);
            case DOUBLE, CURRENCY -> {
                BigDecimal d = raw instanceof Boolean ? null : SalesforceValues.toDecimal(raw);
                yield require(d, field, raw);
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                if (raw instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    yield Boolean.parseBoolean(s);
                }
                yield require(null, field, raw);
            }
            case DATETIME -> {
                Instant i = SalesforceValues.toInstant(raw);
                yield require(i, field, raw);
            }
            case DATE -> {
                LocalDate d = SalesforceValues.toLocalDate(raw);
                yield require(d, field, raw);
            }
            case REFERENCE -> reference(field, raw);
            case ID -> raw.toString();
        };
    }

    private static <T> T require(T value, SalesforceField field, Object raw) {
        if (value == null) {
            throw new ValidationException("INVALID_TYPE_ON_FIELD_IN_RECORD", field.name() + ": value not of required type: "
                    + raw, List.of(field.name()));
        }
        return value;
    }

    private static String text(SalesforceField field, Object raw) {
        String s = raw instanceof BigDecimal b ? b.toPlainString() : raw.toString();
        if (s.length() > field.length()) {
            // Salesforce names the field by its label here, e.g. "Asset: data value too large: ... (max length=20)"
            throw new ValidationException("STRING_TOO_LONG", field.label() + ": data value too large: "
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + " (max length=" + field.length() + ")",
                    List.of(field.name()));
        }
        if (field.type() == SalesforceFieldType.EMAIL && !EMAIL.matcher(s).matches()) {
            throw new ValidationException("INVALID_EMAIL_ADDRESS", field.name() + ": invalid email address: " + s,
                    List.of(field.name()));
        }
        if (field.type() == SalesforceFieldType.PICKLIST && field.restricted() && !field.picklistValues().contains(s)) {
            throw new ValidationException("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", field.name()
                    + ": bad value for restricted picklist field: " + s, List.of(field.name()));
        }
        return s;
    }

    private String reference(SalesforceField field, Object raw) {
        String id = raw.toString();
        if (!SalesforceIds.wellFormed(id)) {
            throw new ValidationException("MALFORMED_ID", field.name() + ": id value of incorrect type: " + id,
                    List.of(field.name()));
        }
        String full = SalesforceIds.to18(id);
        Map<String, Object> target = store.get(full);
        SalesforceObjectType targetType = target == null ? null : storeTypeOf(full);
        if (target == null || targetType == null || !field.referenceTo().contains(targetType.name())) {
            throw new ValidationException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of(field.name()));
        }
        return full;
    }

    private SalesforceObjectType storeTypeOf(String id) {
        return store.schemaFor(id);
    }

    /** REQUIRED_FIELD_MISSING for required fields that are still empty after defaults and the merge. */
    static void checkRequired(SalesforceObjectType type, Map<String, Object> merged) {
        List<String> missing = new ArrayList<>();
        for (SalesforceField f : type.fields()) {
            if (f.required() && f.createable() && merged.get(f.name()) == null) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new ValidationException("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing);
        }
    }

    /** DUPLICATE_VALUE when a unique field's value is already on another record (case-insensitive). */
    void checkUnique(SalesforceObjectType type, String id, Map<String, Object> merged) {
        for (SalesforceField f : type.indexedFields()) {
            if (!f.unique()) {
                continue;
            }
            Object v = merged.get(f.name());
            if (v == null) {
                continue;
            }
            for (String other : store.lookup(type.name(), f.name(), v.toString())) {
                if (!other.equals(id)) {
                    throw new ValidationException("DUPLICATE_VALUE", "duplicate value found: " + f.name()
                            + " duplicates value on record with id: " + other, List.of(f.name()));
                }
            }
        }
    }
}
