package io.closedloop.cli;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.world.World;
import io.closedloop.sandbox.world.WorldConfig;
import io.closedloop.sandbox.world.WorldSeeder;
import io.closedloop.testsupport.Emulators;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A seeded world with 14 days of email history, a few older events and some rejected leads; what a backfill must write. */
final class BackfillHistory {
    final World world;
    final Set<String> expected = new HashSet<>();
    final List<World.Person> rejected = new ArrayList<>();

    BackfillHistory(Emulators emulators, Clock clock, int people, int rejections) {
        world = WorldSeeder.seed(WorldConfig.defaults().withCompanies(25), emulators.salesforce.org(), emulators.hubspot.portal(), clock);
        List<World.Person> matched = world.people().stream()
                .filter(p -> p.match() != World.Match.UNKNOWN && p.duplicateSfId() == null).limit(people).toList();
        Instant now = clock.instant();
        long seq = 0;
        for (int day = 0; day < 14; day++) {
            for (World.Person p : matched) {
                long created = now.minus(Duration.ofDays(day)).minus(Duration.ofHours(2)).toEpochMilli() - seq;
                String id = "hist-" + (++seq);
                boolean click = seq % 3 == 0;
                emulators.hubspot.portal().addEmailEvent(new EmailEvent(id, created, click ? "CLICK" : "OPEN", p.email(),
                        world.campaigns().get(0).id(), click ? Map.of("url", "https://www.closedloop.example/pricing") : Map.of()));
                expected.add("email:" + id + ":" + created);
            }
        }
        // older than the range: never written
        for (World.Person p : matched.subList(0, 5)) {
            emulators.hubspot.portal().addEmailEvent(new EmailEvent("old-" + (++seq), now.minus(Duration.ofDays(20)).toEpochMilli(), "OPEN",
                    p.email(), world.campaigns().get(0).id(), Map.of()));
        }
        matched.stream().filter(p -> p.match() == World.Match.LEAD).limit(rejections).forEach(p -> {
            emulators.salesforce.org().update("Lead", p.sfLeadId(), Map.of("Status", "Closed - Not Converted",
                    "Rejection_Reason__c", "No budget", "Rejection_Detail__c", "Budget frozen for " + p.lastName()));
            rejected.add(p);
        });
    }

    /** Runs the command line under test ({@code environment} and {@code clock} as set on the options), output into the writers. */
    static int execute(java.io.StringWriter out, java.io.StringWriter err, java.time.Clock clock, Map<String, String> environment,
                       String... args) {
        ConfigOption.environment = environment;
        BackfillCommand.clock = clock;
        BackfillCommand.sleeper = d -> { };
        var cli = io.closedloop.Closedloop.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        return cli.execute(args);
    }

    List<Object> activityIds(Emulators emulators) {
        return emulators.salesforce.org().all("Marketing_Activity__c").stream().map(r -> r.get("Closedloop_Event_Id__c")).toList();
    }
}
