package io.closedloop.cli;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.config.DispositionProposal;
import io.closedloop.config.SettingKey;
import io.closedloop.core.HubSpotOptions;
import io.closedloop.core.OrgProfile;
import io.closedloop.core.SyncException;
import io.closedloop.log.LogSetup;
import io.closedloop.log.Redactor;
import io.closedloop.runtime.OrgDiscovery;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Proposes the disposition mapping for the org and portal the credentials reach. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Log in to Salesforce and HubSpot, read the org's Lead statuses, rejection reasons and Opportunity",
                "stages and the portal's lead-status and lifecycle options, and write a proposed disposition mapping",
                "with a comment on every guess. Prints what it could not decide. Reads only; never overwrites an",
                "existing file without --force. Exits 0 when written, 2 on a configuration or credential problem or",
                "an existing file."})
public class InitCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the mapping (default: the CLOSEDLOOP_DISPOSITION_FILE setting, config/dispositions.properties).")
    Path output;

    @Option(names = "--force", description = "Overwrite the file if it exists.")
    boolean force;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String key = SettingKey.CLOSEDLOOP_DISPOSITION_FILE.name();
        Path file = output != null ? output : Path.of(ConfigOption.environment.getOrDefault(key,
                SettingKey.CLOSEDLOOP_DISPOSITION_FILE.defaultValue()));
        // the file init is about to create may not exist yet: the settings load without it (the built-in rules apply)
        String setting = ConfigOption.environment.get(key);
        ClosedloopSettings settings = setting != null && !Files.exists(Path.of(setting)) ? config.loadWithout(err, key) : config.load(err);
        if (settings == null) {
            return ConfigOption.configExit();
        }
        if (Files.exists(file) && !force) {
            err.println(file + " exists; init never overwrites it without --force (or write elsewhere with --output)");
            err.flush();
            return ConfigOption.configExit();
        }
        LogSetup.quiet(settings);
        DispositionProposal.Result proposal;
        try (OrgDiscovery org = new OrgDiscovery(settings)) {
            OrgProfile profile = org.profile();
            HubSpotOptions options = org.hubspotOptions();
            out.println("read: Salesforce Lead statuses " + String.join(", ", profile.leadStatuses()) + "; "
                    + profile.rejectionReasons().size() + " rejection reasons; " + profile.opportunityStages().size()
                    + " Opportunity stages; HubSpot hs_lead_status and lifecyclestage options");
            proposal = DispositionProposal.propose(profile, options, settings.dispositionRules());
        } catch (SyncException e) {
            err.println("Could not read the org: " + Redactor.redact(String.valueOf(e.getMessage())));
            err.flush();
            return ConfigOption.configExit();
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, proposal.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println(file + ": cannot write (" + e.getClass().getSimpleName() + ")");
            err.flush();
            return ConfigOption.configExit();
        }
        out.println("wrote: " + file);
        if (proposal.undecided().isEmpty()) {
            out.println("decided: every Lead status and HubSpot value (check the comments in the file)");
        } else {
            out.println("not decided (" + proposal.undecided().size() + "):");
            proposal.undecided().forEach(u -> out.println("  " + u));
        }
        out.println("next: closedloop validate, then closedloop plan");
        out.flush();
        return 0;
    }
}
