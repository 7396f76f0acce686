package io.closedloop.sandbox.salesforce;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every sObject the emulated org knows: standard ones from Java, custom ones from the SFDX metadata. */
public final class SalesforceSchema {
    private final Map<String, SalesforceObjectType> byName = new LinkedHashMap<>();
    private final Map<String, SalesforceObjectType> byPrefix = new LinkedHashMap<>();

    public SalesforceSchema add(SalesforceObjectType type) {
        byName.put(SalesforceObjectType.key(type.name()), type);
        byPrefix.put(type.keyPrefix(), type);
        return this;
    }

    /** The object, or null; {@code name} in any case. */
    public SalesforceObjectType object(String name) {
        return name == null ? null : byName.get(SalesforceObjectType.key(name));
    }

    /** The object whose key prefix starts this id, or null. */
    public SalesforceObjectType objectForId(String id) {
        return id == null || id.length() < 3 ? null : byPrefix.get(id.substring(0, 3));
    }

    public Collection<SalesforceObjectType> objects() {
        return byName.values();
    }

    /** The standard objects plus the custom objects and fields packaged under the classpath metadata prefix. */
    public static SalesforceSchema load() {
        SalesforceSchema schema = StandardObjects.create();
        new SalesforceSchemaLoader(schema).load(SalesforceSchemaLoader.CLASSPATH_PREFIX);
        return schema;
    }
}
