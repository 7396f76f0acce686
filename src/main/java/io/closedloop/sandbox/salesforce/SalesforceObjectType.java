package io.closedloop.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One sObject: its name, key prefix and fields, looked up case-insensitively. */
public final class SalesforceObjectType {
    private final String name;
    private final String keyPrefix;
    private final boolean custom;
    private final Map<String, SalesforceField> fields = new LinkedHashMap<>();
    private final Map<String, SalesforceField> relationships = new LinkedHashMap<>();
    private String autoNumberFormat;

    public SalesforceObjectType(String name, String keyPrefix, boolean custom) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.custom = custom;
    }

    public SalesforceObjectType add(SalesforceField field) {
        fields.put(key(field.name()), field);
        if (field.relationshipName() != null) {
            relationships.put(key(field.relationshipName()), field);
        }
        return this;
    }

    /** Forgets the field and its relationship name, as if it had been deleted. */
    SalesforceObjectType remove(String fieldName) {
        SalesforceField removed = fields.remove(key(fieldName));
        if (removed != null && removed.relationshipName() != null) {
            relationships.remove(key(removed.relationshipName()));
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** The AutoNumber display format of the name field (e.g. MA-{000000000}), or null. */
    public String autoNumberFormat() {
        return autoNumberFormat;
    }

    SalesforceObjectType autoNumberFormat(String format) {
        this.autoNumberFormat = format;
        return this;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public boolean custom() {
        return custom;
    }

    /** The field, or null; {@code name} in any case. */
    public SalesforceField field(String fieldName) {
        return fields.get(key(fieldName));
    }

    /** The lookup field behind a relationship name (e.g. Owner, Lead__r), or null. */
    public SalesforceField relationship(String relationshipName) {
        return relationships.get(key(relationshipName));
    }

    public Collection<SalesforceField> fields() {
        return fields.values();
    }

    public List<SalesforceField> indexedFields() {
        List<SalesforceField> out = new ArrayList<>();
        for (SalesforceField f : fields.values()) {
            if (f.indexed()) {
                out.add(f);
            }
        }
        return out;
    }

    static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
