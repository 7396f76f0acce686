package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.config.FieldMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The sample page layouts in salesforce/optional/layouts and the object metadata in salesforce/force-app cannot drift:
 * every custom field a layout shows exists, the Marketing section shows every summary field, and the related lists
 * name real lookups.
 */
class SalesforceLayoutMetadataTest {
    private static final Path SOURCE = Path.of("salesforce", "force-app", "main", "default");
    private static final Path LAYOUTS = Path.of("salesforce", "optional", "layouts", "main", "default", "layouts");
    private static final String SECTION = "Marketing (Closedloop)";
    private static final String ACTIVITY = "Marketing_Activity__c";

    @ParameterizedTest
    @ValueSource(strings = {"Lead", "Contact", "Account"})
    void everyCustomFieldOnTheLayoutExistsOnTheObject(String object) throws Exception {
        List<String> fields = texts(layout(object), "field");
        List<String> custom = fields.stream().filter(f -> f.endsWith("__c")).toList();
        assertThat(custom).as("custom fields on the %s layout", object).isNotEmpty();
        assertThat(custom).allSatisfy(f -> assertThat(fieldFile(object, f)).as("%s.%s", object, f).exists());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lead", "Contact", "Account"})
    void marketingSectionShowsEverySummaryFieldClosedloopWrites(String object) throws Exception {
        Element section = children(layout(object), "layoutSections").stream()
                .filter(s -> SECTION.equals(text(s, "label"))).findFirst().orElseThrow();
        List<String> shown = texts(section, "field");
        assertThat(shown).containsAll(FieldMapping.KNOWN.get(object));
        assertThat(shown).allSatisfy(f -> assertThat(fieldFile(object, f)).as("%s.%s", object, f).exists());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lead", "Contact", "Account"})
    void marketingActivitiesRelatedListFollowsTheLookupToThisObject(String object) throws Exception {
        List<Element> lists = children(layout(object), "relatedLists");
        Element activities = lists.stream().filter(l -> text(l, "relatedList").startsWith(ACTIVITY + "."))
                .findFirst().orElseThrow(() -> new AssertionError("no Marketing Activities related list on " + object));
        assertThat(texts(activities, "fields")).contains("NAME", "Activity_Type__c", "Occurred_At__c", "Asset_Name__c", "Source__c");
        assertThat(text(activities, "sortField")).isEqualTo("Occurred_At__c");
        // every custom child relationship, ours or not, is <ChildObject>.<LookupField> to this object
        for (Element list : lists) {
            String name = text(list, "relatedList");
            int dot = name.indexOf('.');
            if (dot < 0 || !name.substring(0, dot).endsWith("__c")) {
                continue;
            }
            String child = name.substring(0, dot);
            Path lookup = fieldFile(child, name.substring(dot + 1));
            assertThat(lookup).as(name).exists();
            Element field = parse(lookup);
            assertThat(text(field, "type")).as(name).isIn("Lookup", "MasterDetail");
            assertThat(text(field, "referenceTo")).as(name).isEqualTo(object);
            assertThat(text(field, "relationshipName")).as(name).isNotBlank();
            List<String> columns = new ArrayList<>(texts(list, "fields"));
            columns.add(text(list, "sortField"));
            columns.stream().filter(c -> c != null && c.endsWith("__c"))
                    .forEach(c -> assertThat(fieldFile(child, c)).as("%s column %s", name, c).exists());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lead", "Contact", "Account"})
    void theCheckNoticesAFieldThatDoesNotExist(String object) {
        // guards the check itself: a made-up field has no metadata file
        assertThat(fieldFile(object, "No_Such_Field__c")).doesNotExist();
        assertThat(fieldFile(object, FieldMapping.KNOWN.get(object).get(0))).exists();
    }

    private static Path fieldFile(String object, String field) {
        return SOURCE.resolve("objects").resolve(object).resolve("fields").resolve(field + ".field-meta.xml");
    }

    private static Element layout(String object) throws Exception {
        Path file = LAYOUTS.resolve(object + "-" + object + " Layout.layout-meta.xml");
        assertThat(file).exists();
        Element root = parse(file);
        assertThat(root.getLocalName()).isEqualTo("Layout");
        assertThat(root.getNamespaceURI()).isEqualTo("http://soap.sforce.com/2006/04/metadata");
        return root;
    }

    private static Element parse(Path file) {
        try (var in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(in).getDocumentElement();
        } catch (Exception e) {
            throw new AssertionError("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    /** Text of every descendant element with this name, in document order. */
    private static List<String> texts(Element root, String name) {
        NodeList nodes = root.getElementsByTagNameNS("*", name);
        return Stream.iterate(0, i -> i < nodes.getLength(), i -> i + 1).map(i -> nodes.item(i).getTextContent().trim()).toList();
    }
}
