package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.DispositionMappingCheck;
import io.closedloop.config.SettingKey;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@code run}'s check of the disposition mapping against the org before anything starts: a mapping naming a Lead
 * Status the org does not have would drop feedback, so it stops startup (exit 2). When Salesforce cannot be read at
 * startup the same check runs before the feedback flow's first poll, and a failure there stops that flow.
 */
public final class DispositionMappingStartup {
    private DispositionMappingStartup() {
    }

    /**
     * Hands {@code verdict} one line per problem, each naming CLOSEDLOOP_DISPOSITION_FILE and the key, as soon as both
     * systems are read and before the check's own connections close (the daemon's start waits on the verdict, not on
     * the clean-up). HubSpot's options are read while Salesforce logs in and describes. Warnings go to {@code warn}.
     */
    public static void check(ClosedloopSettings settings, Consumer<String> warn, Consumer<List<String>> verdict) {
        List<String> problems = new ArrayList<>();
        try (OrgDiscovery org = new OrgDiscovery(settings)) {
            CompletableFuture<HubSpotOptions> hubspot = CompletableFuture.supplyAsync(org::hubspotOptions, task -> {
                Thread thread = new Thread(task, "closedloop-org-fit-hubspot");
                thread.setDaemon(true);
                thread.start();
            });
            org.describes();
            DispositionMappingCheck.Result result = org.mappingCheck(options(hubspot, warn));
            result.problems().forEach(p -> problems.add(SettingKey.CLOSEDLOOP_DISPOSITION_FILE.name() + ": " + p));
            result.warnings().forEach(warn);
            verdict.accept(problems);
        } catch (SyncException e) {
            warn.accept("disposition mapping not checked against the org at startup (" + e.getMessage()
                    + "); checked before the first feedback poll");
            verdict.accept(problems);
        }
    }

    /** HubSpot's options once read, or null with a warning when HubSpot could not be read. */
    private static HubSpotOptions options(CompletableFuture<HubSpotOptions> hubspot, Consumer<String> warn) {
        try {
            return hubspot.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SyncException unread) {
                warn.accept("HubSpot property options not read at startup (" + unread.getMessage()
                        + "); checked before the first feedback poll");
                return null;
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
