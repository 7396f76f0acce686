package io.closedloop.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.salesforce.SalesforceAccess;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's integration user has exactly what the Closedloop_Integration permission set grants, so a field
 * permission an admin takes away reaches the real routes the way it would in an org: never silently.
 */
class PermissionSetRouteTest {
    private static final String FLOW = "hubspot-email-events";
    private static final String ASSET = "Marketing_Activity__c.Asset_Name__c";

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private Emulators emulators;
    private World world;
    private long eventSeq;

    @BeforeEach
    void setUp() throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
    }

    @AfterEach
    void tearDown() throws Exception {
        emulators.close();
    }

    /** A click a minute ago by a known contact; the activity carries the campaign as its asset name. */
    private String click() {
        World.Person p = world.people().stream().filter(x -> x.match() == World.Match.CONTACT && x.duplicateSfId() == null)
                .findFirst().orElseThrow();
        long created = clock.instant().minusSeconds(60).toEpochMilli() + eventSeq++;
        String id = "perm-" + eventSeq;
        emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, "CLICK", p.email(), world.campaigns().get(0).id(), Map.of()));
        return "email:" + id + ":" + created;
    }

    private long activities(String eventId) {
        return emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c WHERE Closedloop_Event_Id__c = '" + eventId + "'").size();
    }

    @Test
    void theShippedPermissionSetIsEnoughForTheActivitySink() throws Exception {
        ClosedloopRuntime runtime = emulators.startDaemon();
        runtime.schemaGate().verify();
        String click = click();
        emulators.poll(FLOW);
        assertThat(activities(click)).isEqualTo(1);
        assertThat(emulators.startedStore().parked().find(FLOW, click)).isEmpty();
    }

    @Test
    void editAccessTakenFromAFieldParksTheActivitiesThatWriteItWithSalesforcesReason() throws Exception {
        ClosedloopRuntime runtime = emulators.startDaemon();
        runtime.schemaGate().verify();
        // the admin edits the permission set while the daemon runs: the field stays readable, no longer editable
        emulators.salesforce.org().permissionSet(SalesforceAccess.packagedReadOnly(ASSET));
        String click = click();
        emulators.poll(FLOW);

        ParkedRecords.ParkedRecord parked = emulators.startedStore().parked().find(FLOW, click).orElseThrow();
        assertThat(parked.status()).isEqualTo(ParkedRecords.Status.PARKED);
        assertThat(parked.errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(parked.reason()).contains("Unable to create/update fields: Asset_Name__c")
                .contains("read/write for your profile or permission set");
        assertThat(activities(click)).isZero();
        assertThat(runtime.flowHealth().stoppedFlows()).isEmpty();
    }

    @Test
    void aFieldPermissionRemovedWhileRunningStopsFlowOneAndHealthNamesTheField() throws Exception {
        ClosedloopRuntime runtime = emulators.startDaemon();
        runtime.schemaGate().verify();
        // without any field permission the field is invisible to the user, as if it were not deployed
        emulators.salesforce.org().permissionSet(SalesforceAccess.packagedWithout(ASSET));
        String click = click();
        try {
            emulators.poll(FLOW);
        } catch (RuntimeException expected) {
            // the poll fails with the fatal error that stops the flow
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !runtime.flowHealth().stoppedFlows().isEmpty());
        assertThat(runtime.flowHealth().stoppedFlows().values()).anySatisfy(s -> assertThat(s.reason())
                .contains("INVALID_FIELD").contains("Asset_Name__c"));
        assertThat(activities(click)).isZero();
        assertThat(emulators.startedStore().parked().find(FLOW, click)).isEmpty();
    }

    @Test
    void aFieldPermissionMissingAtStartupKeepsFlowOneFromRunningAndNamesTheField() throws Exception {
        emulators.salesforce.org().permissionSet(SalesforceAccess.packagedWithout(ASSET));
        ClosedloopRuntime runtime = emulators.startDaemon();
        await().atMost(Duration.ofSeconds(20)).until(() -> !runtime.schemaGate().status().equals("unknown"));
        assertThat(runtime.schemaGate().status()).isEqualTo("Salesforce schema: " + ASSET + " does not exist or is not visible for the"
                + " integration user; deploy the salesforce directory (sf project deploy start) and assign the Closedloop_Integration"
                + " permission set to the integration user");
    }
}
