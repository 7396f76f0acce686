package io.closedloop.sandbox.salesforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What the sandbox's integration user may do through the API: exactly what the Closedloop_Integration permission set
 * grants, on top of a minimal profile that grants API access and nothing else (like Salesforce's "Minimum Access - API
 * Only Integrations" profile). Users are readable by everyone, as in any org. Task has no object permissions: the
 * EditTask user permission creates and edits it. OpportunityContactRole follows Opportunity and CampaignMember follows
 * Campaign. Custom fields need a field permission (required ones are always visible and editable, which is why the
 * Metadata API refuses field permissions on them); standard fields follow their object.
 */
public final class SalesforceAccess {
    /** The permission set the sandbox reads, from the same SFDX source as the schema. */
    public static final String PERMISSION_SET = "salesforce/force-app/main/default/permissionsets/Closedloop_Integration.permissionset-meta.xml";

    /** Object-level grant: read, create, edit. */
    public record ObjectAccess(boolean read, boolean create, boolean edit) {
        static final ObjectAccess NONE = new ObjectAccess(false, false, false);
    }

    /** Field-level security: readable, editable. */
    public record FieldAccess(boolean readable, boolean editable) {
        static final FieldAccess NONE = new FieldAccess(false, false);
    }

    private final Map<String, ObjectAccess> objects;
    private final Map<String, FieldAccess> fields;
    private final Set<String> userPermissions;

    private SalesforceAccess(Map<String, ObjectAccess> objects, Map<String, FieldAccess> fields, Set<String> userPermissions) {
        this.objects = objects;
        this.fields = fields;
        this.userPermissions = userPermissions;
    }

    /** The packaged permission set. */
    public static SalesforceAccess load() {
        return fromPermissionSet(packaged());
    }

    /** The packaged permission set with the field permission of {@code objectField} (e.g. Lead.MQL_At__c) removed. */
    public static SalesforceAccess packagedWithout(String objectField) {
        Element root = packaged();
        Element permission = fieldPermission(root, objectField);
        permission.getParentNode().removeChild(permission);
        return fromPermissionSet(root);
    }

    /** The packaged permission set with {@code objectField} readable but no longer editable. */
    public static SalesforceAccess packagedReadOnly(String objectField) {
        Element root = packaged();
        child(fieldPermission(root, objectField), "editable").setTextContent("false");
        return fromPermissionSet(root);
    }

    /** The packaged permission set without its object permissions on {@code object}. */
    public static SalesforceAccess packagedWithoutObject(String object) {
        Element root = packaged();
        Element permission = permission(root, "objectPermissions", "object", object);
        permission.getParentNode().removeChild(permission);
        return fromPermissionSet(root);
    }

    private static Element packaged() {
        try (InputStream in = SalesforceAccess.class.getClassLoader().getResourceAsStream(PERMISSION_SET)) {
            if (in == null) {
                throw new IllegalStateException("missing metadata resource " + PERMISSION_SET);
            }
            return SalesforceSchemaLoader.parse(in, PERMISSION_SET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Element fieldPermission(Element root, String objectField) {
        return permission(root, "fieldPermissions", "field", objectField);
    }

    private static Element permission(Element root, String element, String nameElement, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && element.equals(e.getLocalName()) && name.equals(text(e, nameElement))) {
                return e;
            }
        }
        throw new IllegalArgumentException("the permission set has no " + element + " for " + name);
    }

    /** A permission set's XML text. */
    public static SalesforceAccess fromPermissionSet(String xml) {
        return fromPermissionSet(SalesforceSchemaLoader.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "permission set"));
    }

    static SalesforceAccess fromPermissionSet(Element root) {
        if (!"PermissionSet".equals(root.getLocalName())) {
            throw new IllegalStateException("not a PermissionSet: <" + root.getLocalName() + ">");
        }
        Map<String, ObjectAccess> objects = new HashMap<>();
        Map<String, FieldAccess> fields = new HashMap<>();
        Set<String> userPermissions = new HashSet<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getLocalName()) {
                case "objectPermissions" -> objects.put(key(text(e, "object")), new ObjectAccess(flag(e, "allowRead"),
                        flag(e, "allowCreate"), flag(e, "allowEdit")));
                case "fieldPermissions" -> fields.put(key(text(e, "field")), new FieldAccess(flag(e, "readable"), flag(e, "editable")));
                case "userPermissions" -> {
                    if (flag(e, "enabled")) {
                        userPermissions.add(text(e, "name"));
                    }
                }
                default -> { }
            }
        }
        return new SalesforceAccess(Map.copyOf(objects), Map.copyOf(fields), Set.copyOf(userPermissions));
    }

    /** The object-level access of the integration user. */
    public ObjectAccess object(String sobject) {
        return switch (sobject) {
            case "User" -> new ObjectAccess(true, false, false);
            case "Task" -> {
                boolean edit = userPermissions.contains("EditTask");
                yield new ObjectAccess(true, edit, edit);
            }
            case "OpportunityContactRole" -> object("Opportunity");
            case "CampaignMember", "CampaignMemberStatus" -> object("Campaign");
            default -> objects.getOrDefault(key(sobject), ObjectAccess.NONE);
        };
    }

    /** The field-level access, before the field's own createable/updateable and the object's access. */
    public FieldAccess field(SalesforceObjectType type, SalesforceField field) {
        if (!field.custom() || field.required()) {
            return new FieldAccess(true, true);
        }
        return fields.getOrDefault(key(type.name() + "." + field.name()), FieldAccess.NONE);
    }

    /** Whether describe and the API show the field at all (a field without read access is as good as absent). */
    public boolean visible(SalesforceObjectType type, SalesforceField field) {
        return object(type.name()).read() && field(type, field).readable();
    }

    public boolean createable(SalesforceObjectType type, SalesforceField field) {
        return field.createable() && object(type.name()).create() && field(type, field).editable();
    }

    public boolean updateable(SalesforceObjectType type, SalesforceField field) {
        return field.updateable() && object(type.name()).edit() && field(type, field).editable();
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean flag(Element parent, String name) {
        return Boolean.parseBoolean(textOr(parent, name, "false"));
    }

    private static String text(Element parent, String name) {
        String v = textOr(parent, name, null);
        if (v == null) {
            throw new IllegalStateException("permission set element <" + parent.getLocalName() + "> has no <" + name + ">");
        }
        return v;
    }

    private static String textOr(Element parent, String name, String fallback) {
        Element e = child(parent, name);
        return e == null ? fallback : e.getTextContent().trim();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
