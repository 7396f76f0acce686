package io.closedloop.console;

import io.closedloop.core.ActivityType;
import io.closedloop.core.ErrorKind;
import io.closedloop.runtime.ClosedloopRuntime;
import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.state.ParkedRecords;
import io.closedloop.testsupport.Emulators;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * The sandbox world behind the console tests: a daemon with an ops token, one email bounce Salesforce refused for a
 * restricted picklist (parked by the real routes), and one parked disposition whose key holds a person's email.
 */
final class ConsoleWorld implements AutoCloseable {
    static final String TOKEN = "console-ops-token-0123456789";
    static final String FLOW = "hubspot-email-events";
    static final String PICKLIST = "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST";

    final Emulators emulators;
    final World world;
    final ClosedloopRuntime runtime;
    final String bounce;
    final ParkedRecords.ParkedRecord parked;
    final ParkedRecords.ParkedRecord disposition;

    ConsoleWorld(Path dir, Clock clock) throws Exception {
        emulators = new Emulators(dir, clock);
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(5), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        World.Person contact = world.people().stream().filter(p -> p.match() == World.Match.CONTACT && p.duplicateSfId() == null)
                .findFirst().orElseThrow();
        long created = clock.instant().minusSeconds(60).toEpochMilli();
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("console-1", created, "BOUNCE", contact.email(),
                world.campaigns().get(0).id(), Map.of()));
        emulators.hubspot.portal().addEmailEvent(new EmailEvent("console-2", created + 1, "OPEN", contact.email(),
                world.campaigns().get(0).id(), Map.of()));
        bounce = "email:console-1:" + created;
        Map<String, String> env = emulators.env();
        env.put("CLOSEDLOOP_OPS_TOKEN", TOKEN);
        runtime = emulators.startDaemon(env, Map.of());
        runtime.schemaGate().verify();
        emulators.salesforce.org().replacePicklistValues("Marketing_Activity__c", "Activity_Type__c", activityTypesExcept("Email Bounce"));
        emulators.poll(FLOW);
        parked = runtime.store().parked().find(FLOW, bounce).orElseThrow();
        // a disposition key holds the email it was sent for: the console must mask it like the CLI does
        disposition = runtime.store().parked().park("salesforce-dispositions", "disposition:00Q000000000001AAA:" + contact.email(),
                "{\"email\":\"" + contact.email() + "\"}", "no HubSpot contact for " + contact.email(), ErrorKind.SKIPPABLE, "NOT_IN_HUBSPOT");
    }

    /** The admin restores the picklist value: the cause of the parked bounce is fixed. */
    void fixTheOrg() {
        emulators.salesforce.org().replacePicklistValues("Marketing_Activity__c", "Activity_Type__c", activityTypesExcept(""));
    }

    long activities(String eventId) {
        return emulators.salesforce.org().query("SELECT Id FROM Marketing_Activity__c WHERE Closedloop_Event_Id__c = '" + eventId + "'").size();
    }

    int port() {
        return runtime.settings().httpPort();
    }

    private static String[] activityTypesExcept(String dropped) {
        return Arrays.stream(ActivityType.values()).map(ActivityType::label).filter(l -> !l.equals(dropped)).toArray(String[]::new);
    }

    @Override
    public void close() throws Exception {
        emulators.close();
    }
}
