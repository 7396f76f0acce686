package io.closedloop.flow.feedback;

import io.closedloop.core.DispositionBatch;
import io.closedloop.core.ErrorKind;
import io.closedloop.core.SalesQualified;
import io.closedloop.core.SyncException;
import io.closedloop.hubspot.HubSpotContactWriter;
import io.closedloop.hubspot.HubSpotNames;
import io.closedloop.salesforce.SalesforceSqlStamps;
import io.closedloop.state.SqlMoments;
import io.closedloop.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL moments of Flow 2: each Lead seen at a disposition of the SQL definition is recorded once, before the
 * poll's cursor moves, then written once to each system: sales_qualified_at on the HubSpot contact and SQL_At__c on
 * the Lead or Contact. A value already there (an earlier moment, a hand edit) is kept. What a system refused or could
 * not take yet (no HubSpot contact) stays pending, is counted, and is tried again on the next poll.
 */
public class SalesQualifiedMoments {
    /** Writes that a system refused, by system. */
    public static final String FAILED_METRIC = "closedloop_sql_moments_failed_total";
    static final int BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(SalesQualifiedMoments.class);

    /** What one pass did: moments recorded, written to HubSpot, written to Salesforce, and refused. */
    public record Outcome(int recorded, int hubspot, int salesforce, int failed) {
    }

    private final StateStore store;
    private final HubSpotContactWriter hubspot;
    private final SalesforceSqlStamps salesforce;
    private final String flow;
    private final Supplier<MeterRegistry> meters;
    private final Map<String, Counter> failures = new java.util.concurrent.ConcurrentHashMap<>();

    public SalesQualifiedMoments(StateStore store, HubSpotContactWriter hubspot, SalesforceSqlStamps salesforce, String flow,
                                 Supplier<MeterRegistry> meters) {
        this.store = store;
        this.hubspot = hubspot;
        this.salesforce = salesforce;
        this.flow = flow;
        this.meters = meters;
    }

    /** Route step before the HubSpot sink: the batch's moments are durable before its cursor can move. */
    public DispositionBatch write(DispositionBatch batch) {
        write(batch.qualified());
        return batch;
    }

    /** Records these moments, then writes every pending one (these and any left over from earlier polls). */
    public Outcome write(List<SalesQualified> qualified) {
        store.sqlMoments().record(qualified);
        List<SqlMoments.Moment> pending = store.sqlMoments().pending(BATCH);
        if (pending.isEmpty()) {
            return new Outcome(qualified.size(), 0, 0, 0);
        }
        store.fence().verify("writing SQL moments");
        int failed = 0;
        List<SalesQualified> toHubSpot = pending.stream().filter(m -> m.hubspotAt() == null && m.moment().email() != null)
                .map(SqlMoments.Moment::moment).toList();
        HubSpotResult hs = toHubSpot(toHubSpot);
        store.sqlMoments().markHubSpot(hs.done());
        // a Lead without an email has no HubSpot contact to write to (its disposition is skipped the same way)
        List<String> noEmail = pending.stream().filter(m -> m.hubspotAt() == null && m.moment().email() == null)
                .map(m -> m.moment().leadId()).toList();
        store.sqlMoments().markHubSpot(noEmail);
        Set<String> inHubSpot = new LinkedHashSet<>(hs.done());
        inHubSpot.addAll(noEmail);
        failed += hs.failed();
        List<SalesQualified> toSalesforce = pending.stream().filter(m -> m.salesforceAt() == null).map(SqlMoments.Moment::moment).toList();
        SalesforceSqlStamps.Outcome sf = stamp(toSalesforce);
        store.sqlMoments().markSalesforce(sf.done());
        for (SalesforceSqlStamps.Failure f : sf.failures()) {
            LOG.warn("{}: SQL_At__c for Lead {} not written ({}: {}); tried again next poll", flow, f.leadId(), f.reason().code(),
                    f.reason().message());
            count("salesforce");
            if (f.reason().kind() == ErrorKind.FATAL) {
                break;
            }
        }
        failed += sf.failures().size();
        long stillPending = pending.stream().filter(m -> m.hubspotAt() == null && !inHubSpot.contains(m.moment().leadId())
                || m.salesforceAt() == null && !sf.done().contains(m.moment().leadId())).count();
        if (hs.written() > 0 || sf.written() > 0 || failed > 0) {
            LOG.info("{}: SQL moments: {} written to HubSpot, {} to Salesforce, {} refused, {} still pending", flow, hs.written(),
                    sf.written(), failed, stillPending);
        }
        return new Outcome(qualified.size(), hs.written(), sf.written(), failed);
    }

    private record HubSpotResult(Set<String> done, int written, int failed) {
    }

    private HubSpotResult toHubSpot(List<SalesQualified> moments) {
        if (moments.isEmpty()) {
            return new HubSpotResult(Set.of(), 0, 0);
        }
        Map<String, HubSpotContactWriter.Contact> contacts = hubspot.contacts(moments.stream().map(SalesQualified::email).toList(),
                List.of(HubSpotNames.EMAIL, HubSpotNames.SALES_QUALIFIED_AT));
        Set<String> done = new LinkedHashSet<>();
        Map<String, HubSpotContactWriter.Update> updates = new LinkedHashMap<>();
        for (SalesQualified m : moments) {
            HubSpotContactWriter.Contact c = contacts.get(m.email());
            if (c == null) {
                continue; // no contact yet: the disposition waits for it too (AWAITING_CONTACT); this stays pending
            }
            String current = c.properties().get(HubSpotNames.SALES_QUALIFIED_AT);
            if (current != null && !current.isBlank()) {
                done.add(m.leadId());
            } else if (!updates.containsKey(c.id())) {
                // one contact with several Leads: the oldest moment (pending comes oldest first) is the one written
                updates.put(c.id(), new HubSpotContactWriter.Update(m.leadId(), c.id(),
                        Map.of(HubSpotNames.SALES_QUALIFIED_AT, Long.toString(m.at().toEpochMilli()))));
            } else {
                done.add(m.leadId());
            }
        }
        List<HubSpotContactWriter.Failure> refused = hubspot.update(new ArrayList<>(updates.values()));
        Set<String> failedKeys = new LinkedHashSet<>();
        for (HubSpotContactWriter.Failure f : refused) {
            failedKeys.add(f.key());
            LOG.warn("{}: sales_qualified_at for Lead {} not written ({}: {}); tried again next poll", flow, f.key(), f.reason().code(),
                    f.reason().message());
            count("hubspot");
        }
        int written = 0;
        for (HubSpotContactWriter.Update u : updates.values()) {
            if (!failedKeys.contains(u.key())) {
                done.add(u.key());
                written++;
            }
        }
        return new HubSpotResult(done, written, failedKeys.size());
    }

    /** Salesforce's part; a field the org refuses (INVALID_FIELD: the package's SQL_At__c not deployed) leaves it pending. */
    private SalesforceSqlStamps.Outcome stamp(List<SalesQualified> toSalesforce) {
        try {
            return salesforce.stamp(toSalesforce);
        } catch (SyncException e) {
            if (e.kind() == ErrorKind.RETRIABLE) {
                throw e;
            }
            // the dispositions go on; the moments wait for the field
            LOG.warn("{}: SQL_At__c could not be read ({}): {} SQL moments stay pending in Salesforce; `closedloop validate` names "
                    + "what the org lacks", flow, e.code(), toSalesforce.size());
            count("salesforce");
            return new SalesforceSqlStamps.Outcome(Set.of(), 0, List.of());
        }
    }

    private void count(String system) {
        MeterRegistry registry = meters.get();
        if (registry != null) {
            failures.computeIfAbsent(system, s -> Counter.builder(FAILED_METRIC).tag("system", s)
                    .description("SQL moment writes a system refused (tried again on the next poll)").register(registry)).increment();
        }
    }
}
