package io.closedloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.flow.SalesforceSchemaGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FlowIdTest {
    /** Routes that belong to no one flow: the shared activity sink, and the ops endpoints (routes/observe-*, ids observe-*). */
    private static final Set<String> SHARED_ROUTES = Set.of(SalesforceSchemaGate.SINK_ROUTE);

    @Test
    void everyRouteInRoutesBelongsToExactlyOneFlowOrIsShared() throws IOException {
        List<String> unowned = new ArrayList<>();
        for (String id : routeIds()) {
            long owners = Stream.of(FlowId.values()).filter(f -> f.routeIds().contains(id)).count();
            if (owners != 1 && !SHARED_ROUTES.contains(id) && !(id.startsWith("observe-") && owners == 0)) {
                unowned.add(id + " (" + owners + " flows)");
            }
        }
        assertThat(unowned).isEmpty();
        assertThat(routeIds()).containsAll(Stream.of(FlowId.values()).flatMap(f -> f.routeIds().stream()).toList());
    }

    @Test
    void everyToggleInRoutesIsAFlowsToggle() throws IOException {
        Set<String> toggles = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\{(closedloop\\.flow\\.[a-z-]+):true}}").matcher(routesText());
        while (m.find()) {
            toggles.add(m.group(1));
        }
        assertThat(toggles).isNotEmpty().allSatisfy(t -> assertThat(Stream.of(FlowId.values()).map(FlowId::toggle)).contains(t));
    }

    @Test
    void everyTemplatedSourceIsAnEngagementFlowWhoseToggleTheTemplateReads() throws IOException {
        Set<String> sources = new TreeSet<>();
        Matcher m = Pattern.compile("\\{name: source, value: ([a-z-]+)}").matcher(routesText());
        while (m.find()) {
            sources.add(m.group(1));
        }
        assertThat(sources).containsExactlyInAnyOrderElementsOf(
                Stream.of(FlowId.values()).filter(FlowId::engagementSource).map(FlowId::key).toList());
        assertThat(routesText()).contains("{{closedloop.flow.{{source}}:true}}");
    }

    @Test
    void keysAndRouteIdsAreUnique() {
        assertThat(Stream.of(FlowId.values()).map(FlowId::key)).doesNotHaveDuplicates();
        assertThat(Stream.of(FlowId.values()).flatMap(f -> f.routeIds().stream())).doesNotHaveDuplicates();
    }

    @Test
    void aWholeBatchFailureParksUnderTheSameKeyAsTheFlowsRecords() {
        assertThat(FlowId.parkedKeyOfRoute("hubspot-email-events-source")).isEqualTo("hubspot-email-events");
        assertThat(FlowId.parkedKeyOfRoute("hubspot-disposition-sink")).isEqualTo("salesforce-dispositions");
        assertThat(FlowId.parkedKeyOfRoute("a-test-route")).isEqualTo("a-test-route");
        assertThat(FlowId.ofParked("hubspot-list-memberships-source")).contains(FlowId.HUBSPOT_LIST_MEMBERSHIPS);
        assertThat(FlowId.ofParked("salesforce-summary")).contains(FlowId.SALESFORCE_SUMMARY);
    }

    @Test
    void theSchemaCheckGovernsEngagementAndItsRetryButNotFeedback() {
        assertThat(Stream.of(FlowId.values()).filter(FlowId::governedBySchema)).containsExactlyInAnyOrder(
                FlowId.HUBSPOT_EMAIL_EVENTS, FlowId.HUBSPOT_FORM_SUBMISSIONS, FlowId.HUBSPOT_CONTACT_CHANGES,
                FlowId.HUBSPOT_LIST_MEMBERSHIPS, FlowId.SALESFORCE_UNMATCHED_RETRY);
        assertThat(SalesforceSchemaGate.governs("hubspot-disposition-sink")).isFalse();
        assertThat(SalesforceSchemaGate.governs("salesforce-activity-sink")).isTrue();
        assertThat(SalesforceSchemaGate.governs("salesforce-unmatched-retry-poll")).isTrue();
        assertThat(SalesforceSchemaGate.governs("sla-watch")).isFalse();
    }

    private static Set<String> routeIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        // a route's id is the first key under "- route:" (or a templated route's routeId)
        Matcher m = Pattern.compile("(?m)^\\s+(?:id|routeId): ([a-z-]+)\\s*$").matcher(routesText());
        while (m.find()) {
            ids.add(m.group(1));
        }
        ids.removeAll(Set.of("error-handling", "source-error-handling", "sink-passthrough"));
        Matcher templates = Pattern.compile("(?m)^- routeTemplate:\\s*\\n\\s+id: ([a-z-]+)\\s*$").matcher(routesText());
        while (templates.find()) {
            ids.remove(templates.group(1));
        }
        return ids;
    }

    private static String routesText() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        return all.toString();
    }
}
