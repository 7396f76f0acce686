package io.closedloop.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The SFDX project under salesforce/ is checked offline in every build: each metadata file has the Metadata API's
 * shape (SalesforceMetadataShape), the default package directory deploys only what Closedloop owns (no layout), and
 * the permission set names only fields that exist and no required field.
 */
class SalesforceMetadataPackageTest {
    private static final Path PROJECT = Path.of("salesforce");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode sfdxProject() throws IOException {
        return JSON.readTree(PROJECT.resolve("sfdx-project.json").toFile());
    }

    private static Path defaultPackageDirectory() throws IOException {
        List<Path> defaults = new ArrayList<>();
        sfdxProject().path("packageDirectories").forEach(d -> {
            if (d.path("default").asBoolean()) {
                defaults.add(PROJECT.resolve(d.path("path").asText()));
            }
        });
        assertThat(defaults).as("default package directories").hasSize(1);
        return defaults.get(0);
    }

    private static List<Path> metadataFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith("-meta.xml")).sorted().toList();
        }
    }

    @Test
    void everyMetadataFileHasTheShapeTheMetadataApiAccepts() throws IOException {
        List<Path> files = metadataFiles(PROJECT);
        assertThat(files).hasSizeGreaterThan(30);
        List<String> problems = files.stream().flatMap(f -> SalesforceMetadataShape.problems(f).stream()).toList();
        assertThat(problems).isEmpty();
    }

    @Test
    void theDefaultPackageDirectoryHoldsNoLayoutAndTheOptionalLayoutsAreAListedNonDefaultDirectory() throws IOException {
        Path defaults = defaultPackageDirectory();
        assertThat(defaults).isEqualTo(PROJECT.resolve("force-app"));
        assertThat(metadataFiles(defaults)).noneMatch(p -> p.getFileName().toString().endsWith(".layout-meta.xml"));
        List<String> listed = new ArrayList<>();
        sfdxProject().path("packageDirectories").forEach(d -> listed.add(d.path("path").asText()));
        // sf deploys a --source-dir only inside a listed package directory; it stays out of the default one
        assertThat(listed).containsExactly("force-app", "optional/layouts");
        List<Path> layouts = metadataFiles(PROJECT.resolve("optional/layouts")).stream()
                .filter(p -> p.getFileName().toString().endsWith(".layout-meta.xml")).toList();
        assertThat(layouts).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder(
                "Lead-Lead Layout.layout-meta.xml", "Contact-Contact Layout.layout-meta.xml", "Account-Account Layout.layout-meta.xml");
    }

    @Test
    void theMetadataApiTypesCheckedAgainstAreOfTheProjectsSourceApiVersion() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/maven/com.force.api/force-metadata-api/pom.properties")) {
            assertThat(in).isNotNull();
            pom.load(in);
        }
        assertThat(pom.getProperty("version")).startsWith(sfdxProject().path("sourceApiVersion").asText() + ".");
    }

    @Test
    void thePermissionSetGrantsOnlyFieldsThatExistAndNoRequiredField() throws Exception {
        Path source = defaultPackageDirectory().resolve("main/default");
        Element set = parse(source.resolve("permissionsets/Closedloop_Integration.permissionset-meta.xml"));
        // standard fields the daemon reads or writes that are under field-level security
        List<String> standard = List.of("Account.Website", "Contact.AccountId", "Contact.Email", "Contact.LeadSource", "Lead.Email",
                "Lead.LeadSource", "Opportunity.Amount", "Opportunity.CampaignId");
        for (Node n = set.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals("fieldPermissions")) {
                String field = SalesforceMetadataShape.child(e, "field").getTextContent().trim();
                if (standard.contains(field)) {
                    continue;
                }
                String[] parts = field.split("\\.");
                // custom fields of Task live on the shared Activity object
                Path file = source.resolve("objects").resolve(parts[0].equals("Task") ? "Activity" : parts[0]).resolve("fields")
                        .resolve(parts[1] + ".field-meta.xml");
                assertThat(file).as(field).exists();
                Element required = SalesforceMetadataShape.child(parse(file), "required");
                // a required field is always editable and takes no field permission
                assertThat(required == null ? "false" : required.getTextContent().trim()).as(field + " required").isEqualTo("false");
            }
        }
    }

    @Test
    void theReportTypeOnMarketingActivitiesNamesOnlyFieldsThatExistAndTheReportsUseOnlyItsColumns() throws Exception {
        Path source = defaultPackageDirectory().resolve("main/default");
        Element type = parse(source.resolve("reportTypes/Closedloop_Marketing_Activities.reportType-meta.xml"));
        assertThat(SalesforceMetadataShape.child(type, "baseObject").getTextContent()).isEqualTo("Marketing_Activity__c");
        // lookups from Marketing_Activity__c to the objects whose fields the report type reaches
        java.util.Map<String, String> lookups = java.util.Map.of("Lead__c", "Lead", "Contact__c", "Contact");
        List<String> standard = List.of("Name", "Lead.LeadSource", "Lead.Status", "Lead.IsConverted", "Lead.CreatedDate", "Contact.LeadSource");
        java.util.Set<String> columns = new java.util.HashSet<>();
        for (Element column : elements(type, "columns")) {
            String field = SalesforceMetadataShape.child(column, "field").getTextContent().trim();
            assertThat(SalesforceMetadataShape.child(column, "table").getTextContent()).isEqualTo("Marketing_Activity__c");
            columns.add("Marketing_Activity__c$" + field);
            String[] path = field.split("\\.");
            String object = path.length == 1 ? "Marketing_Activity__c" : lookups.get(path[0]);
            String name = path[path.length - 1];
            assertThat(object).as(field + ": a lookup of Marketing_Activity__c").isNotNull();
            if (path.length == 2) {
                assertThat(source.resolve("objects/Marketing_Activity__c/fields/" + path[0] + ".field-meta.xml")).as(field).exists();
            }
            if (!standard.contains(name) && !standard.contains(object + "." + name)) {
                assertThat(source.resolve("objects/" + object + "/fields/" + name + ".field-meta.xml")).as(field).exists();
            }
        }
        assertThat(columns).contains("Marketing_Activity__c$Lead__c.Rejection_Reason__c", "Marketing_Activity__c$Lead__c.LeadSource",
                "Marketing_Activity__c$Lead__c.SQL_At__c", "Marketing_Activity__c$Activity_Type__c");

        List<String> names = new ArrayList<>();
        for (Path file : metadataFiles(source.resolve("reports"))) {
            if (!file.toString().endsWith(".report-meta.xml")) {
                continue;
            }
            Element report = parse(file);
            names.add(SalesforceMetadataShape.child(report, "name").getTextContent());
            // a custom report type is named by its API name plus __c
            assertThat(SalesforceMetadataShape.child(report, "reportType").getTextContent()).isEqualTo("Closedloop_Marketing_Activities__c");
            List<String> used = new ArrayList<>();
            elements(report, "field").forEach(e -> used.add(e.getTextContent().trim()));
            elements(report, "column").forEach(e -> used.add(e.getTextContent().trim()));
            elements(report, "dateColumn").forEach(e -> used.add(e.getTextContent().trim()));
            assertThat(used).as(file.toString()).isNotEmpty().allSatisfy(c -> assertThat(columns).as(file + " uses " + c).contains(c));
            // the MQL moment is the activity Flow 1 writes with this picklist value
            assertThat(elements(report, "value")).extracting(Node::getTextContent).contains(io.closedloop.core.ActivityType.BECAME_MQL.label());
        }
        assertThat(names).containsExactlyInAnyOrder("Rejections by reason and source", "MQL hand-off SLA");
        assertThat(source.resolve("reports/Closedloop.reportFolder-meta.xml")).exists();
    }

    /** Every descendant element with this local name, in document order. */
    private static List<Element> elements(Element root, String name) {
        List<Element> out = new ArrayList<>();
        org.w3c.dom.NodeList list = root.getElementsByTagNameNS("*", name);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        return out;
    }

    private static final String NS = "<CustomField xmlns=\"http://soap.sforce.com/2006/04/metadata\">";

    static Stream<Arguments> malformedFieldFiles() {
        return Stream.of(
                Arguments.of("an element the type does not have", NS + "<fullName>X__c</fullName><label>X</label><lenght>10</lenght>"
                        + "<type>Text</type></CustomField>", "not a valid CustomField"),
                Arguments.of("elements out of the Metadata API's order", NS + "<fullName>X__c</fullName><type>Text</type><label>X</label>"
                        + "<length>10</length></CustomField>", "not a valid CustomField"),
                Arguments.of("a field type that does not exist", NS + "<fullName>X__c</fullName><label>X</label><length>10</length>"
                        + "<type>Txt</type></CustomField>", "Not a valid enumeration"),
                Arguments.of("a number that is not one", NS + "<fullName>X__c</fullName><label>X</label><length>ten</length>"
                        + "<type>Text</type></CustomField>", "\"ten\""),
                Arguments.of("no label", NS + "<fullName>X__c</fullName><length>10</length><type>Text</type></CustomField>",
                        "lacks the required <label>"),
                Arguments.of("a Text field without its length", NS + "<fullName>X__c</fullName><label>X</label><type>Text</type></CustomField>",
                        "a Text field lacks the required <length>"),
                Arguments.of("a file name that is not the field's name", NS + "<fullName>Y__c</fullName><label>X</label><length>10</length>"
                        + "<type>Text</type></CustomField>", "does not match the file name"),
                Arguments.of("the wrong namespace", "<CustomField xmlns=\"urn:other\"><fullName>X__c</fullName><label>X</label>"
                        + "<length>10</length><type>Text</type></CustomField>", "root element must be <CustomField>"),
                Arguments.of("not XML at all", NS + "<fullName>X__c</fullName><label>X</label>", "not well-formed XML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFieldFiles")
    void aMalformedFieldFileFailsTheCheck(String mistake, String xml, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("X__c.field-meta.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml);
        List<String> problems = SalesforceMetadataShape.problems(file);
        assertThat(problems).as(mistake).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith(file.toString()));
        assertThat(String.join("\n", problems)).as(mistake).contains(expected);
    }

    @Test
    void theSameFieldWellFormedPassesTheCheck() throws IOException {
        // guards the cases above: each differs from this one by the one mistake it names
        Path file = Files.writeString(dir.resolve("X__c.field-meta.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<CustomField xmlns=\"http://soap.sforce.com/2006/04/metadata\"><fullName>X__c</fullName><label>X</label><length>10</length>"
                + "<type>Text</type></CustomField>");
        assertThat(SalesforceMetadataShape.problems(file)).isEmpty();
    }

    @Test
    void aPermissionSetWithAnUnknownElementOrAPermissionWithoutItsFieldFails() throws IOException {
        Path unknown = Files.writeString(dir.resolve("P.permissionset-meta.xml"), "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">"
                + "<label>P</label><objectPermission><object>Lead</object></objectPermission></PermissionSet>");
        assertThat(SalesforceMetadataShape.problems(unknown)).isNotEmpty();
        Path noField = Files.writeString(dir.resolve("Q.permissionset-meta.xml"), "<PermissionSet xmlns=\"http://soap.sforce.com/2006/04/metadata\">"
                + "<fieldPermissions><editable>true</editable><readable>true</readable></fieldPermissions><label>Q</label></PermissionSet>");
        assertThat(SalesforceMetadataShape.problems(noField)).containsExactly(noField + ": a <fieldPermissions> lacks the required <field>");
    }

    private static Element parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }
}
