package io.closedloop.sandbox.salesforce;

import java.util.List;

/** One field of an sObject, with the attributes describe reports and validation enforces. */
public record SalesforceField(String name, String label, SalesforceFieldType type, int length, boolean required,
                              boolean externalId, boolean unique, boolean createable, boolean updateable,
                              List<String> picklistValues, String defaultValue, boolean restricted,
                              List<String> referenceTo, String relationshipName, boolean custom) {

    public static SalesforceField of(String name, SalesforceFieldType type, int length) {
        return new SalesforceField(name, name, type, length, false, false, false, true, true, List.of(), null, false,
                List.of(), null, name.endsWith("__c"));
    }

    public static SalesforceField text(String name, int length) {
        return of(name, SalesforceFieldType.STRING, length);
    }

    public static SalesforceField picklist(String name, boolean restricted, String defaultValue, String... values) {
        return new SalesforceField(name, name, SalesforceFieldType.PICKLIST, 255, false, false, false, true, true,
                List.of(values), defaultValue, restricted, List.of(), null, name.endsWith("__c"));
    }

    /** A lookup; the relationship name drops {@code Id} (standard) or turns {@code __c} into {@code __r} (custom). */
    public static SalesforceField reference(String name, String... targets) {
        String rel = name.endsWith("__c") ? name.substring(0, name.length() - 3) + "__r"
                : name.endsWith("Id") ? name.substring(0, name.length() - 2) : name;
        return new SalesforceField(name, name, SalesforceFieldType.REFERENCE, 18, false, false, false, true, true,
                List.of(), null, false, List.of(targets), rel, name.endsWith("__c"));
    }

    public SalesforceField asRequired() {
        return new SalesforceField(name, label, type, length, true, externalId, unique, createable, updateable,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField readOnly() {
        return new SalesforceField(name, label, type, length, required, externalId, unique, false, false,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField createOnly() {
        return new SalesforceField(name, label, type, length, required, externalId, unique, true, false,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField withDefault(String value) {
        return new SalesforceField(name, label, type, length, required, externalId, unique, createable, updateable,
                picklistValues, value, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField withKeys(boolean isExternalId, boolean isUnique) {
        return new SalesforceField(name, label, type, length, required, isExternalId, isUnique, createable, updateable,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField withPicklistValues(List<String> values) {
        return new SalesforceField(name, label, type, length, required, externalId, unique, createable, updateable,
                List.copyOf(values), defaultValue != null && values.contains(defaultValue) ? defaultValue : null, restricted, referenceTo,
                relationshipName, custom);
    }

    public SalesforceField withLength(int newLength) {
        return new SalesforceField(name, label, type, newLength, required, externalId, unique, createable, updateable,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    public SalesforceField withLabel(String newLabel) {
        return new SalesforceField(name, newLabel, type, length, required, externalId, unique, createable, updateable,
                picklistValues, defaultValue, restricted, referenceTo, relationshipName, custom);
    }

    /** Values are indexed for upsert and duplicate checks. */
    public boolean indexed() {
        return externalId || unique || type == SalesforceFieldType.ID;
    }

    /** Booleans are never null in Salesforce; required fields are not nillable. */
    public boolean nillable() {
        return !required && type != SalesforceFieldType.BOOLEAN && type != SalesforceFieldType.ID;
    }
}
