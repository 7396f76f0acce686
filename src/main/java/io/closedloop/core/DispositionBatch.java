package io.closedloop.core;

import java.util.List;

/** One poll of the Salesforce disposition source: the dispositions to send and the cursor to commit afterwards. */
public final class DispositionBatch {
    /** A won opportunity, for attribution: its amount, primary campaign and the people with a contact role. */
    public record WonOpportunity(String opportunityId, java.math.BigDecimal amount, String campaignName, java.time.Instant closedAt,
                                 List<String> contactIds, List<String> emails) {
    }

    /** A Lead whose status is in no status.* key: parked as UNMAPPED_STATUS, never dropped. */
    public record UnmappedLead(SalesDisposition lead, String status) {
    }

    private final List<SalesDisposition> dispositions;
    private final List<UnmappedLead> unmapped;
    private final List<SalesQualified> qualified;
    private final List<WonOpportunity> won;
    private final String nextCursor;
    private final long runId;
    private final long salesforceCalls;
    private volatile int sent;
    private volatile int parked;
    private volatile int notInHubSpot;
    private volatile int unchanged;
    private volatile int notes;
    private volatile int unmappedParked;
    private volatile boolean more;

    public DispositionBatch(List<SalesDisposition> dispositions, List<WonOpportunity> won, String nextCursor, long runId,
                            long salesforceCalls) {
        this(dispositions, won, nextCursor, runId, salesforceCalls, List.of());
    }

    public DispositionBatch(List<SalesDisposition> dispositions, List<WonOpportunity> won, String nextCursor, long runId,
                            long salesforceCalls, List<UnmappedLead> unmapped) {
        this(dispositions, won, nextCursor, runId, salesforceCalls, unmapped, List.of());
    }

    /** @param qualified Leads seen at a disposition of the SQL definition (sql.on) in this poll */
    public DispositionBatch(List<SalesDisposition> dispositions, List<WonOpportunity> won, String nextCursor, long runId,
                            long salesforceCalls, List<UnmappedLead> unmapped, List<SalesQualified> qualified) {
        this.qualified = List.copyOf(qualified);
        this.unmapped = List.copyOf(unmapped);
        this.dispositions = List.copyOf(dispositions);
        this.won = List.copyOf(won);
        this.nextCursor = nextCursor;
        this.runId = runId;
        this.salesforceCalls = salesforceCalls;
    }

    public List<SalesDisposition> dispositions() {
        return dispositions;
    }

    public List<WonOpportunity> won() {
        return won;
    }

    /** Whether the read stopped at its chunk: its route reads the next chunk once this one is committed. */
    public boolean more() {
        return more;
    }

    /** Named apart from {@link #more()}, so the route's simple expression finds the getter. */
    public DispositionBatch moreToRead(boolean value) {
        this.more = value;
        return this;
    }

    public String nextCursor() {
        return nextCursor;
    }

    public long runId() {
        return runId;
    }

    public long salesforceCalls() {
        return salesforceCalls;
    }

    public void outcome(int sentCount, int parkedCount, int notInHubSpotCount) {
        this.sent = sentCount;
        this.parked = parkedCount;
        this.notInHubSpot = notInHubSpotCount;
    }

    public List<SalesQualified> qualified() {
        return qualified;
    }

    public List<UnmappedLead> unmapped() {
        return unmapped;
    }

    /**
     * @param unchangedCount records with no verdict (only the owner, if anything, was refreshed)
     * @param notesCount     notes created in HubSpot
     * @param unmappedCount  leads with an unmapped status
     */
    public void detail(int unchangedCount, int notesCount, int unmappedCount) {
        this.unchanged = unchangedCount;
        this.notes = notesCount;
        this.unmappedParked = unmappedCount;
    }

    /** Leads with an unmapped status this write parked (or, without an email, only counted). */
    public int unmappedCount() {
        return unmappedParked;
    }

    public int unchanged() {
        return unchanged;
    }

    public int notes() {
        return notes;
    }

    public int sent() {
        return sent;
    }

    public int parked() {
        return parked;
    }

    public int notInHubSpot() {
        return notInHubSpot;
    }
}
