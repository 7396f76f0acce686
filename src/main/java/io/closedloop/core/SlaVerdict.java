package io.closedloop.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on one open hand-off SLA clock, from what sales did: a person worked in time is met, worked after the
 * due time (or after a raised breach) is worked late; a running clock past its due time breaches; a running clock
 * HubSpot has not been told about is announced as on track. Pure: no I/O, the caller reads the facts and acts.
 */
public record SlaVerdict(Kind kind, Instant actedAt, String reason) {
    public enum Kind {
        ANNOUNCE(SlaStatus.ON_TRACK), MET(SlaStatus.MET), WORKED_LATE(SlaStatus.WORKED_LATE), BREACH(SlaStatus.BREACHED);

        private final SlaStatus status;

        Kind(SlaStatus status) {
            this.status = status;
        }

        /** The status the HubSpot contact shows for this verdict. */
        public SlaStatus status() {
            return status;
        }
    }

    /**
     * An open clock as the verdict sees it.
     *
     * @param running     still waiting and no breach raised yet
     * @param breached    the breach was raised (the clock waits for the first sales action)
     * @param startStatus the Lead Status when the clock started (null for a Contact): leaving it is a sales action
     */
    public record Clock(Instant startedAt, Instant dueAt, boolean running, boolean breached, String startStatus) {
        /** A running clock whose due time has passed: its breach is to be raised. */
        public boolean overdue(Instant now) {
            return running && !dueAt.isAfter(now);
        }
    }

    /** The clock's Lead as Salesforce has it now; lastModified may be null. */
    public record Lead(String status, boolean converted, Instant lastModified) {
    }

    /**
     * @param lead      the clock's Lead, or null for a Contact (or a Lead Salesforce did not return)
     * @param tasks     when sales logged Tasks on the clock's person (Closedloop's own Tasks left out), in any order
     * @param announced whether HubSpot was already told this clock is on track
     * @return the verdict, or empty when there is nothing to write
     */
    public static Optional<SlaVerdict> decide(Clock c, Lead lead, List<Instant> tasks, Instant now, boolean announced) {
        Instant acted = null;
        String reason = null;
        if (lead != null && (lead.converted() || (c.startStatus() != null && !c.startStatus().equals(lead.status())))) {
            // the exact time of a status change is not queryable; LastModifiedDate is when it happened at the latest
            Instant modified = lead.lastModified();
            acted = modified == null || modified.isAfter(now) ? now : modified;
            reason = lead.converted() ? "Lead converted" : "Lead Status changed to " + lead.status();
        }
        Instant task = firstTask(c, tasks);
        if (task != null && (acted == null || task.isBefore(acted))) {
            acted = task;
            reason = "Task logged";
        }
        if (acted != null) {
            boolean late = c.breached() || acted.isAfter(c.dueAt());
            return Optional.of(new SlaVerdict(late ? Kind.WORKED_LATE : Kind.MET, acted, reason));
        }
        if (c.overdue(now)) {
            return Optional.of(new SlaVerdict(Kind.BREACH, null, null));
        }
        if (c.running() && !announced) {
            return Optional.of(new SlaVerdict(Kind.ANNOUNCE, null, null));
        }
        return Optional.empty();
    }

    /** The first Task logged since the clock started; an older Task belongs to an earlier hand-off. */
    private static Instant firstTask(Clock c, List<Instant> tasks) {
        return tasks.stream().filter(t -> !t.isBefore(c.startedAt())).min(Instant::compareTo).orElse(null);
    }
}
