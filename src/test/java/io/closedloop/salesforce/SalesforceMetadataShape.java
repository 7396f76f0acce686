package io.closedloop.salesforce;

import com.sforce.ws.ConnectionException;
import com.sforce.ws.bind.TypeMapper;
import com.sforce.ws.bind.XMLizable;
import com.sforce.ws.parser.PullParserException;
import com.sforce.ws.parser.XmlInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks one SFDX source-format metadata file against the shape the Metadata API accepts, offline. The elements,
 * their order and their value types come from Salesforce's own Metadata API types (com.force.api:force-metadata-api,
 * generated from the Metadata WSDL), whose parser refuses an element that is unknown or out of place. The WSDL makes
 * every element optional, so the elements the reference pages call required are listed here, per type.
 */
final class SalesforceMetadataShape {
    /** File suffix -> Metadata API type (the types Closedloop ships; any other suffix is itself a problem). */
    static final Map<String, String> TYPES = Map.of(
            ".field-meta.xml", "CustomField",
            ".object-meta.xml", "CustomObject",
            ".permissionset-meta.xml", "PermissionSet",
            ".layout-meta.xml", "Layout",
            ".reportType-meta.xml", "ReportType",
            ".report-meta.xml", "Report",
            ".reportFolder-meta.xml", "ReportFolder");

    /**
     * Required elements per type. CustomField: fullName, label and type, plus what each field type needs
     * (https://developer.salesforce.com/docs/platform/api-metadata/references/meta-types/metadata-customfield.html);
     * CustomObject: label, pluralLabel, nameField, deploymentStatus, sharingModel
     * (https://developer.salesforce.com/docs/platform/api-metadata/references/meta-types/metadata-customobject.html);
     * PermissionSet: label, and the field or object each permission names
     * (https://developer.salesforce.com/docs/platform/api-metadata/references/meta-types/metadata-permissionset.html);
     * Layout: nothing beyond the WSDL shape
     * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_layouts.htm);
     * ReportType: baseObject, category, deployed, label, sections
     * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_reporttype.htm);
     * Report: name, format, reportType
     * (https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_report.htm);
     * ReportFolder: name (Folder, https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_folder.htm).
     */
    static final Map<String, List<String>> REQUIRED = Map.of(
            "CustomField", List.of("fullName", "label", "type"),
            "CustomObject", List.of("label", "pluralLabel", "nameField", "deploymentStatus", "sharingModel"),
            "PermissionSet", List.of("label"),
            "Layout", List.of(),
            "ReportType", List.of("baseObject", "category", "deployed", "label", "sections"),
            "Report", List.of("name", "format", "reportType"),
            "ReportFolder", List.of("name"));

    /** What a custom field of each type must also say (CustomField reference, field type by field type). */
    static final Map<String, List<String>> REQUIRED_BY_FIELD_TYPE = Map.of(
            "Text", List.of("length"),
            "LongTextArea", List.of("length", "visibleLines"),
            "Number", List.of("precision", "scale"),
            "Lookup", List.of("referenceTo", "relationshipName"),
            "Picklist", List.of("valueSet"),
            "Checkbox", List.of("defaultValue"));

    private SalesforceMetadataShape() {
    }

    /** The file's problems, each naming the file; empty when it has the shape the Metadata API accepts. */
    static List<String> problems(Path file) {
        String name = file.getFileName().toString();
        String type = TYPES.entrySet().stream().filter(e -> name.endsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        List<String> problems = new ArrayList<>();
        if (type == null) {
            problems.add(file + ": no Metadata API type is checked for this file suffix");
            return problems;
        }
        Element root;
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            root = factory.newDocumentBuilder().parse(in).getDocumentElement();
        } catch (Exception e) {
            problems.add(file + ": not well-formed XML: " + e.getMessage());
            return problems;
        }
        if (!type.equals(root.getLocalName()) || !"http://soap.sforce.com/2006/04/metadata".equals(root.getNamespaceURI())) {
            problems.add(file + ": root element must be <" + type + "> in the http://soap.sforce.com/2006/04/metadata namespace");
            return problems;
        }
        try (InputStream in = Files.newInputStream(file)) {
            XMLizable metadata = (XMLizable) Class.forName("com.sforce.soap.metadata." + type).getConstructor().newInstance();
            XmlInputStream xml = new XmlInputStream();
            xml.setInput(in, "UTF-8");
            xml.peekTag();
            metadata.load(xml, new TypeMapper());
        } catch (ConnectionException | PullParserException | IOException | RuntimeException e) {
            problems.add(file + ": not a valid " + type + " (Metadata API " + type + " type): " + e.getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (String required : REQUIRED.get(type)) {
            if (child(root, required) == null) {
                problems.add(file + ": " + type + " lacks the required <" + required + ">");
            }
        }
        Element fieldType = child(root, "type");
        if (type.equals("CustomField") && fieldType != null) {
            for (String required : REQUIRED_BY_FIELD_TYPE.getOrDefault(fieldType.getTextContent().trim(), List.of())) {
                if (child(root, required) == null) {
                    problems.add(file + ": a " + fieldType.getTextContent().trim() + " field lacks the required <" + required + ">");
                }
            }
            Element fullName = child(root, "fullName");
            if (fullName != null && !name.equals(fullName.getTextContent().trim() + ".field-meta.xml")) {
                problems.add(file + ": <fullName> " + fullName.getTextContent().trim() + " does not match the file name");
            }
        }
        if (type.equals("CustomObject")) {
            Element nameField = child(root, "nameField");
            if (nameField != null && (child(nameField, "label") == null || child(nameField, "type") == null)) {
                problems.add(file + ": <nameField> needs a <label> and a <type>");
            }
        }
        if (type.equals("PermissionSet")) {
            requireInEach(root, "fieldPermissions", "field", file, problems);
            requireInEach(root, "objectPermissions", "object", file, problems);
            requireInEach(root, "userPermissions", "name", file, problems);
        }
        return problems;
    }

    private static void requireInEach(Element root, String element, String required, Path file, List<String> problems) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && element.equals(e.getLocalName()) && child(e, required) == null) {
                problems.add(file + ": a <" + element + "> lacks the required <" + required + ">");
            }
        }
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }
}
