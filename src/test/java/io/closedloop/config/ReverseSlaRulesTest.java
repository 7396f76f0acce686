package io.closedloop.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.closedloop.core.Disposition;
import io.closedloop.core.OrgProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reverse-sla.* keys of the disposition file: off by default, parsed, and refused at startup naming the key. */
class ReverseSlaRulesTest {
    private static final OrgProfile CLASSIC = new OrgProfile(List.of("Open - Not Contacted", "Working - Contacted", "Closed - Converted",
            "Closed - Not Converted"), "Open - Not Contacted", "Rejection_Reason__c", true, List.of("No budget", "Timing"), "Rejection_Detail__c",
            true, List.of(), Set.of());

    @TempDir
    Path dir;

    private DispositionRules rules(String text) throws IOException {
        return DispositionRules.load(Files.writeString(dir.resolve("d" + System.nanoTime() + ".properties"), text));
    }

    @Test
    void offUnlessHoursAreSet() throws IOException {
        assertThat(DispositionRules.defaults().reverseSla().enabled()).isFalse();
        assertThat(rules(Files.readString(Path.of("config", "dispositions.properties"))).reverseSla().enabled()).isFalse();
    }

    @Test
    void hoursReasonsAndNurtureListAreParsed() throws IOException {
        DispositionRules r = rules("reverse-sla.hours=72\nreverse-sla.rejection-reasons=Timing, Bad contact data\nreverse-sla.nurture-list-id=4242\n");
        assertThat(r.reverseSla().hours()).hasHours(72);
        assertThat(r.reverseSla().nurtureListId()).isEqualTo("4242");
        assertThat(r.reverseSla().startsOn(Disposition.REJECTED, "Bad contact data")).isTrue();
        assertThat(r.reverseSla().startsOn(Disposition.REJECTED, "No budget")).isFalse();
    }

    @Test
    void badValuesAreProblemsNamingTheKey() {
        assertThatThrownBy(() -> rules("reverse-sla.hours=soon\nreverse-sla.nurture-list-id=nurture\n")).isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("reverse-sla.hours: expected a positive number of hours, got \"soon\""))
                        .anySatisfy(p -> assertThat(p).contains("reverse-sla.nurture-list-id: expected a HubSpot list id")));
        // on, but nothing could ever start a clock
        assertThatThrownBy(() -> rules("reverse-sla.hours=24\nreverse-sla.rejection-reasons=\n")).isInstanceOf(SettingsException.class)
                .satisfies(e -> assertThat(((SettingsException) e).problems()).singleElement().asString()
                        .contains("reverse-sla.hours: set, but status.recycled names no Lead Status"));
    }

    @Test
    void aReasonTheOrgDoesNotOfferIsAMappingProblemNamingTheKey() throws IOException {
        DispositionRules r = rules("reverse-sla.hours=24\nreverse-sla.rejection-reasons=Timing, Too early\n");
        assertThat(DispositionMappingCheck.check(r, CLASSIC, null, s -> s).problems()).singleElement().asString()
                .startsWith("reverse-sla.rejection-reasons: \"too early\" is not a rejection reason of this org");
    }
}
