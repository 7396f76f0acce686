package io.closedloop.runtime;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.DispositionMappingCheck;
import io.closedloop.config.SettingKey;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.SyncException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code run}'s check of the disposition mapping against the org before anything starts: a mapping naming a Lead
 * Status the org does not have would drop feedback, so it stops startup (exit 2). When Salesforce cannot be read at
 * startup the same check runs before the feedback flow's first poll, and a failure there stops that flow.
 */
public final class DispositionMappingStartup {
    private DispositionMappingStartup() {
    }

    /** One line per problem, each naming CLOSEDLOOP_DISPOSITION_FILE and the key; warnings go to {@code warn}. */
    public static List<String> problems(ClosedloopSettings settings, Consumer<String> warn) {
        List<String> problems = new ArrayList<>();
        try (OrgDiscovery org = new OrgDiscovery(settings)) {
            HubSpotOptions options = null;
            try {
                options = org.hubspotOptions();
            } catch (SyncException e) {
                warn.accept("HubSpot property options not read at startup (" + e.getMessage() + "); checked before the first feedback poll");
            }
            DispositionMappingCheck.Result result = org.mappingCheck(options);
            result.problems().forEach(p -> problems.add(SettingKey.CLOSEDLOOP_DISPOSITION_FILE.name() + ": " + p));
            result.warnings().forEach(warn);
        } catch (SyncException e) {
            warn.accept("disposition mapping not checked against the org at startup (" + e.getMessage()
                    + "); checked before the first feedback poll");
        }
        return problems;
    }
}
