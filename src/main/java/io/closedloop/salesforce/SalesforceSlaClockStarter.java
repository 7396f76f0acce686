package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.DispositionRules;
import io.closedloop.state.SlaClocks;
import io.closedloop.state.StateStore;
import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.SlaCalendar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the hand-off SLA clock when Flow 1 writes a contact's "Became MQL" moment to a Lead or Contact owned by a
 * user. The clock starts at the MQL moment itself; its due time follows the Lead's LeadSource and the business hours.
 * One clock per MQL moment: a repeated or older moment changes nothing, and a later MQL starts a new clock only once
 * the previous one has stopped. Costs one packed query (Lead Status and LeadSource) per batch that starts clocks.
 */
public class SalesforceSlaClockStarter {
    /** A written MQL moment and the person it was written to. */
    public record Mql(EngagementEvent event, SalesforceIdentityResolver.Target target) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSlaClockStarter.class);

    private final SalesforceClient client;
    private final StateStore store;
    private final DispositionRules rules;
    private final SlaCalendar calendar;
    private final java.time.Clock clock;

    public SalesforceSlaClockStarter(SalesforceClient client, StateStore store, DispositionRules rules) {
        this(client, store, rules, java.time.Clock.systemUTC());
    }

    public SalesforceSlaClockStarter(SalesforceClient client, StateStore store, DispositionRules rules, java.time.Clock clock) {
        this.clock = clock;
        this.client = client;
        this.store = store;
        this.rules = rules;
        this.calendar = new SlaCalendar(rules.businessHours());
    }

    /** Whether this event, written to this person, may start a clock. */
    public static boolean starts(EngagementEvent e, SalesforceIdentityResolver.Target t) {
        // a queue cannot be handed a breach Task, so only a user-owned record starts a clock
        return e.type() == ActivityType.BECAME_MQL && e.hubspotContactId() != null && t != null && t.ownerId() != null
                && t.ownerId().startsWith("005");
    }

    /** A moment seen as it happened always starts a clock; one found at the first poll only while its SLA runs. */
    static boolean insideSla(EngagementEvent e, java.time.Instant due, java.time.Instant now) {
        return !e.details().containsKey(EngagementEvent.CATCH_UP) || due.isAfter(now);
    }

    /** Starts the clocks of these written MQL moments; returns how many started. */
    public int start(List<Mql> mqls) {
        Map<String, Mql> wanted = new LinkedHashMap<>();
        for (Mql m : mqls) {
            if (!starts(m.event(), m.target())) {
                continue;
            }
            String contact = m.event().hubspotContactId();
            Optional<SlaClocks.SlaClock> current = store.slaClocks().find(contact);
            boolean fresh = current.isEmpty() || (!current.get().open() && m.event().occurredAt().isAfter(current.get().stoppedAt()));
            Mql before = wanted.get(contact);
            if (fresh && (before == null || m.event().occurredAt().isAfter(before.event().occurredAt()))) {
                wanted.put(contact, m);
            }
        }
        if (wanted.isEmpty()) {
            return 0;
        }
        Map<String, JsonNode> records = records(wanted.values());
        int started = 0;
        for (Mql m : wanted.values()) {
            JsonNode r = records.get(m.target().id());
            String leadSource = r == null || r.path("LeadSource").isNull() ? null : r.path("LeadSource").asText(null);
            String status = m.target().lead() && r != null && !r.path("Status").isNull() ? r.path("Status").asText(null) : null;
            var startedAt = m.event().occurredAt();
            var due = calendar.due(startedAt, rules.slaFor(leadSource));
            String contact = m.event().hubspotContactId();
            if (!insideSla(m.event(), due, clock.instant())) {
                // an MQL found at the first poll whose SLA ran out before Closedloop was there: no clock, no breach Task
                LOG.info("no hand-off SLA clock for HubSpot contact {}: already an MQL at the first poll, due {} has passed", contact, due);
                continue;
            }
            boolean ok = store.slaClocks().start(contact, m.target().id(), m.target().ownerId(), startedAt, due, status)
                    || store.slaClocks().restart(contact, m.target().id(), m.target().ownerId(), startedAt, due, status);
            if (ok) {
                started++;
                LOG.info("hand-off SLA clock started for HubSpot contact {} on {} {} (owner {}), due {}", contact,
                        m.target().sobject(), m.target().id(), m.target().ownerId(), due);
            }
        }
        return started;
    }

    /** Status and LeadSource of the Leads, LeadSource of the Contacts, in one packed Composite call. */
    private Map<String, JsonNode> records(java.util.Collection<Mql> mqls) {
        List<String> leads = mqls.stream().filter(m -> m.target().lead()).map(m -> m.target().id()).distinct().toList();
        // a Contact's LeadSource matters only when the SLA differs by source
        List<String> contacts = rules.slaByLeadSource().isEmpty() ? List.of()
                : mqls.stream().filter(m -> !m.target().lead()).map(m -> m.target().id()).distinct().toList();
        List<String> soqls = new ArrayList<>();
        SalesforceSoql.inLists(leads, SalesforceSoql.MAX_IN_CLAUSE_CHARS)
                .forEach(in -> soqls.add("SELECT Id, Status, LeadSource FROM Lead WHERE Id IN (" + in + ")"));
        SalesforceSoql.inLists(contacts, SalesforceSoql.MAX_IN_CLAUSE_CHARS)
                .forEach(in -> soqls.add("SELECT Id, LeadSource FROM Contact WHERE Id IN (" + in + ")"));
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (!soqls.isEmpty()) {
            client.queries(soqls).forEach(rows -> rows.forEach(r -> out.put(r.path("Id").asText(), r)));
        }
        return out;
    }
}
