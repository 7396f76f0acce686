package io.closedloop.flow.sla;

import io.closedloop.core.ActivityType;
import io.closedloop.core.EngagementEvent;
import io.closedloop.core.FlowId;
import io.closedloop.core.PolledSource;
import io.closedloop.core.ReverseSla;
import io.closedloop.core.SourceRead;
import io.closedloop.hubspot.HubSpotContactChangeReader;
import io.closedloop.state.ReverseSlaClocks;
import io.closedloop.state.ReverseSlaClocks.ReverseClock;
import io.closedloop.state.StateStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Marketing's action as the engagement sources already see it: a join of the nurture list (list memberships) or a
 * lifecycle move to a stage other than the one sales handed the lead back in (contact changes). Wraps a source, and
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
        List<EngagementEvent> candidates = read.events().stream().filter(this::mayBeAction).toList();
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

    /** Records each candidate on its contact's open clock if it is marketing's action (not the hand-back itself). */
    void record(List<EngagementEvent> candidates) {
        Map<String, ReverseClock> open = clocks.open().stream().collect(Collectors.toMap(ReverseClock::hubspotContactId, Function.identity()));
        for (EngagementEvent e : candidates) {
            ReverseClock clock = open.get(e.hubspotContactId());
            if (clock == null || clock.actedAt() != null || e.occurredAt().isBefore(clock.startedAt())) {
                continue;
            }
            String reason = reason(e, clock);
            if (reason != null && clocks.acted(e.hubspotContactId(), e.occurredAt(), reason)) {
                open.remove(e.hubspotContactId());
            }
        }
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
