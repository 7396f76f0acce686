package io.closedloop.salesforce;

import io.closedloop.core.Leadership;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.FatalSyncException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQL nobody in Salesforce has gets a new Lead (CLOSEDLOOP_UNMATCHED_MQL=create-lead), so the hand-off
 * happens at all. Re-resolving by email next time finds that Lead, so a crash after the create adds no twin.
 */
public class SalesforceLeadCreator {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceLeadCreator.class);

    private final SalesforceClient client;
    private final Clock clock;
    private final String apiVersion;
    private final boolean enabled;
    private final Leadership fence;

    /** @param fence only the leader of the current term creates Leads, so two replicas never both create one */
    public SalesforceLeadCreator(SalesforceClient client, Clock clock, String apiVersion, boolean enabled, Leadership fence) {
        this.fence = fence;
        this.client = client;
        this.clock = clock;
        this.apiVersion = apiVersion;
        this.enabled = enabled;
    }

    /** The resolution with a new Lead for every unmatched MQL of the events; unchanged when creating Leads is off. */
    public SalesforceIdentityResolver.Resolution withLeadsForMqls(Collection<EngagementEvent> events,
                                                                  SalesforceIdentityResolver.Resolution resolution) {
        if (!enabled) {
            return resolution;
        }
        Map<String, EngagementEvent> mqls = new LinkedHashMap<>();
        for (EngagementEvent e : events) {
            if (e.type() == ActivityType.BECAME_MQL && e.email() != null && resolution.unmatched().contains(e.email())) {
                mqls.putIfAbsent(e.email(), e);
            }
        }
        if (mqls.isEmpty()) {
            return resolution;
        }
        fence.verify("creating Leads in Salesforce");
        List<SalesforceWrite> creates = new ArrayList<>();
        mqls.forEach((email, e) -> creates.add(SalesforceWrite.create(email, "Lead", newLead(e))));
        Map<String, SalesforceIdentityResolver.Target> byEmail = new LinkedHashMap<>(resolution.byEmail());
        Set<String> unmatched = new LinkedHashSet<>(resolution.unmatched());
        for (SalesforceCompositePlanner.CompositeCall call : SalesforceCompositePlanner.plan(apiVersion, creates)) {
            for (SalesforceWriteResult r : SalesforceCompositePlanner.results(call, client.composite(call.body()))) {
                String email = r.write().key();
                if (r.success()) {
                    byEmail.put(email, new SalesforceIdentityResolver.Target("Lead", r.id(), null, null, clock.instant(), Map.of()));
                    unmatched.remove(email);
                    LOG.info("created Lead {} for HubSpot contact {} (an MQL unknown to Salesforce)", r.id(), mqls.get(email).hubspotContactId());
                } else if (r.failure().kind() == ErrorKind.FATAL) {
                    throw new FatalSyncException(r.failure().code(), r.failure().message(), null);
                } else {
                    // the MQL event is then parked as unmatched, with the reason the Lead was refused
                    LOG.warn("could not create a Lead for HubSpot contact {}: {} {}", mqls.get(email).hubspotContactId(),
                            r.failure().code(), r.failure().message());
                }
            }
        }
        return new SalesforceIdentityResolver.Resolution(byEmail, resolution.duplicates(), unmatched, resolution.invalid());
    }

    /** The Lead's fields, fitted to their lengths. */
    static Map<String, Object> newLead(EngagementEvent e) {
        Map<String, Object> f = new LinkedHashMap<>();
        String first = e.details().get("first name");
        String last = e.details().get("last name");
        String company = e.details().get("company");
        if (first != null) {
            f.put("FirstName", first.length() <= 40 ? first : first.substring(0, 40));
        }
        // LastName and Company are required on a Lead; the email stands in where HubSpot has none
        String lastName = last != null ? last : e.email().substring(0, e.email().indexOf('@'));
        f.put("LastName", lastName.length() <= 80 ? lastName : lastName.substring(0, 80));
        String companyName = company != null ? company : e.emailDomain();
        f.put("Company", companyName.length() <= 255 ? companyName : companyName.substring(0, 255));
        f.put("Email", e.email());
        return f;
    }
}
