package io.closedloop.flow.sla;

import io.closedloop.core.ActivityType;
import io.closedloop.core.ContactChange;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.FlowId;
import io.closedloop.core.PolledSource;
import io.closedloop.core.ReverseSla;
import io.closedloop.core.SourceRead;
import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.hubspot.HubSpotNames;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.state.ReverseSlaClocks.ReverseClock;
import io.closedloop.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Marketing's action as the engagement sources already see it: a join of the nurture list (list memberships), a
 * lifecycle move to a stage other than the one sales handed the lead back in, or a change of the lead status
 * ({@code hs_lead_status}) to a value other than the one the hand-back wrote (contact changes; the lead status is no
 * activity, so nothing reaches Salesforce for it). Wraps a source, and
 * when its batch is committed records the action on the contact's open reverse SLA clock; no poll of its own.
 */
public final class ReverseSlaActions implements PolledSource {
    private final PolledSource source;
    private final ReverseSlaClocks clocks;
    private final ReverseSla rules;

    private ReverseSlaActions(PolledSource source, ReverseSlaClocks clocks, ReverseSla rules) {
        this.source = source;
        this.clocks = clocks;
        this.rules = rules;
    }

    /** The source itself while the reverse SLA is off. */
    public static PolledSource watching(PolledSource source, StateStore store, ReverseSla rules) {
        return rules.enabled() ? new ReverseSlaActions(source, store.reverseSlaClocks(), rules) : source;
    }

    @Override
    public FlowId source() {
        return source.source();
    }

    @Override
    public String start(String stored, Instant now) {
        return source.start(stored, now);
    }

    @Override
    public SourceRead read(String cursor, Instant now) {
        SourceRead read = source.read(cursor, now);
        List<Seen> candidates = new ArrayList<>();
        read.events().stream().filter(this::mayBeAction).forEach(e -> candidates.add(new Seen(e.hubspotContactId(), e.occurredAt(), c -> reason(e, c))));
        read.contactChanges().stream().filter(c -> HubSpotNames.LEAD_STATUS.equals(c.property()))
                .forEach(change -> candidates.add(new Seen(change.hubspotContactId(), change.at(), c -> reason(change, c))));
        if (candidates.isEmpty()) {
            return read;
        }
        Runnable commit = read.onCommit();
        return read.onCommit(() -> {
            commit.run();
            record(candidates);
        });
    }

    private boolean mayBeAction(EngagementEvent e) {
        if (e.hubspotContactId() == null) {
            return false;
        }
        return e.type() == ActivityType.LIST_JOINED ? rules.nurtureListId() != null && rules.nurtureListId().equals(e.details().get("listId"))
                : HubSpotContactChangeReader.newStage(e) != null;
    }

    /** Something a source saw on a contact at a time, and why it is marketing's action on a given clock (null: it is not). */
    private record Seen(String hubspotContactId, Instant at, Function<ReverseClock, String> reason) {
    }

    /** Records each candidate on its contact's open clock if it is marketing's action (not the hand-back itself). */
    private void record(List<Seen> candidates) {
        Map<String, ReverseClock> open = clocks.open().stream().collect(Collectors.toMap(ReverseClock::hubspotContactId, Function.identity()));
        for (Seen s : candidates) {
            ReverseClock clock = open.get(s.hubspotContactId());
            if (clock == null || clock.actedAt() != null || s.at().isBefore(clock.startedAt())) {
                continue;
            }
            String reason = s.reason().apply(clock);
            if (reason != null && clocks.acted(s.hubspotContactId(), s.at(), reason)) {
                open.remove(s.hubspotContactId());
            }
        }
    }

    /** Why a lead status change is marketing's action, or null: the value the hand-back wrote is sales' move. */
    static String reason(ContactChange change, ReverseClock clock) {
        return Objects.equals(change.to(), clock.handedBackLeadStatus()) ? null
                : "lead status changed to " + (change.to() == null ? "(none)" : change.to());
    }

    /** Why the event is marketing's action, or null: the stage sales set on hand-back is sales' move, not marketing's. */
    static String reason(EngagementEvent e, ReverseClock clock) {
        if (e.type() == ActivityType.LIST_JOINED) {
            return "joined nurture list " + e.details().get("listId");
        }
        String stage = HubSpotContactChangeReader.newStage(e);
        return stage == null || Objects.equals(stage, clock.handedBackStage()) ? null : "lifecycle stage changed to " + stage;
    }
}
