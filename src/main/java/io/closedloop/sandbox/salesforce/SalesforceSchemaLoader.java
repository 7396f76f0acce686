package io.closedloop.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads custom objects and custom fields from the SFDX source-format metadata on the classpath. Only {@code objects/}
 * is read here; the permission set beside it is read by {@link SalesforceAccess}.
 */
public final class SalesforceSchemaLoader {
    public static final String CLASSPATH_PREFIX = "salesforce/force-app/main/default/objects/";

    private final SalesforceSchema schema;

    public SalesforceSchemaLoader(SalesforceSchema schema) {
        this.schema = schema;
    }

    /** Loads every {@code <Object>/<Object>.object-meta.xml} and {@code <Object>/fields/*.field-meta.xml} under the prefix. */
    public void load(String prefix) {
        TreeSet<String> resources = list(prefix);
        int customIndex = 0;
        for (String r : resources) {
            String rel = r.substring(prefix.length());
            String[] parts = rel.split("/");
            if (parts.length == 2 && parts[1].equals(parts[0] + ".object-meta.xml") && schema.object(parts[0]) == null) {
                // custom objects get a00, a01, ... in name order, so ids are stable across runs
                SalesforceObjectType type = customObject(parts[0], "a" + String.format("%02d", customIndex++));
                Element nameField = child(read(r), "nameField");
                if (nameField != null && "AutoNumber".equals(textOr(nameField, "type", ""))) {
                    type.autoNumberFormat(textOr(nameField, "displayFormat", "{0}"));
                }
                schema.add(type);
            }
        }
        for (String r : resources) {
            String rel = r.substring(prefix.length());
            String[] parts = rel.split("/");
            if (parts.length == 3 && parts[1].equals("fields") && parts[2].endsWith(".field-meta.xml")) {
                // fields of the shared Activity object apply to Task (and Event, which is not emulated)
                String objectName = parts[0].equals("Activity") ? "Task" : parts[0];
                SalesforceObjectType type = schema.object(objectName);
                if (type == null) {
                    throw new IllegalStateException("metadata field " + r + " belongs to an unknown object " + objectName);
                }
                type.add(field(read(r)));
            }
        }
    }

    private static SalesforceObjectType customObject(String name, String keyPrefix) {
        SalesforceObjectType type = StandardObjects.base(name, keyPrefix, true, true);
        // the AutoNumber name field is filled by the org, never by the caller
        type.add(SalesforceField.text("Name", 80).readOnly());
        return type;
    }

    static SalesforceField field(Element root) {
        String name = text(root, "fullName");
        String metaType = text(root, "type");
        SalesforceFieldType type = SalesforceFieldType.fromMetadata(metaType);
        int length = switch (type) {
            case STRING, TEXTAREA -> Integer.parseInt(textOr(root, "length", "255"));
            case URL, PICKLIST -> 255;
            case EMAIL -> 80;
            case REFERENCE -> 18;
            default -> 0;
        };
        boolean required = Boolean.parseBoolean(textOr(root, "required", "false"));
        boolean externalId = Boolean.parseBoolean(textOr(root, "externalId", "false"));
        boolean unique = Boolean.parseBoolean(textOr(root, "unique", "false"));
        String label = textOr(root, "label", name);
        if (type == SalesforceFieldType.REFERENCE) {
            SalesforceField f = SalesforceField.reference(name, text(root, "referenceTo"));
            return required ? f.asRequired().withLabel(label) : f.withLabel(label);
        }
        List<String> values = new ArrayList<>();
        String defaultValue = null;
        boolean restricted = false;
        if (type == SalesforceFieldType.PICKLIST) {
            Element valueSet = child(root, "valueSet");
            restricted = valueSet != null && Boolean.parseBoolean(textOr(valueSet, "restricted", "false"));
            NodeList nodes = root.getElementsByTagName("value");
            for (int i = 0; i < nodes.getLength(); i++) {
                Element v = (Element) nodes.item(i);
                values.add(text(v, "fullName"));
                if (Boolean.parseBoolean(textOr(v, "default", "false"))) {
                    defaultValue = text(v, "fullName");
                }
            }
        }
        return new SalesforceField(name, label, type, length, required, externalId, unique, true, true, List.copyOf(values),
                defaultValue, restricted, List.of(), null, true);
    }

    private static Element read(String resource) {
        try (InputStream in = SalesforceSchemaLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing metadata resource " + resource);
            }
            return parse(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The root element of a metadata file, with doctypes refused. */
    static Element parse(InputStream in, String what) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(in).getDocumentElement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse metadata " + what + ": " + e.getMessage(), e);
        }
    }

    /** Resource names under the prefix, from a directory (tests, IDE) or from the jar (packaged daemon). */
    static TreeSet<String> list(String prefix) {
        TreeSet<String> out = new TreeSet<>();
        try {
            Enumeration<URL> roots = SalesforceSchemaLoader.class.getClassLoader().getResources(prefix);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getProtocol().equals("file")) {
                    Path dir = Path.of(url.toURI());
                    try (Stream<Path> walk = Files.walk(dir)) {
                        walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".xml"))
                                .forEach(p -> out.add(prefix + dir.relativize(p).toString().replace('\\', '/')));
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarURLConnection connection = (JarURLConnection) url.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        Enumeration<JarEntry> entries = jar.entries();
                        while (entries.hasMoreElements()) {
                            String name = entries.nextElement().getName();
                            if (name.startsWith(prefix) && name.endsWith(".xml")) {
                                out.add(name);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            throw new IllegalStateException("metadata element <" + parent.getLocalName() + "> has no <" + name + ">");
        }
        return e.getTextContent().trim();
    }

    private static String textOr(Element parent, String name, String fallback) {
        Element e = child(parent, name);
        return e == null ? fallback : e.getTextContent().trim();
    }
}
