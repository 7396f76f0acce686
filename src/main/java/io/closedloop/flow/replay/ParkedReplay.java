package io.closedloop.flow.replay;

import io.closedloop.core.FatalSyncException;
import io.closedloop.core.FlowId;

import io.closedloop.log.Redactor;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.ParkedRecords.ParkedRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends parked records through their flow's write path again, for the {@code replay} command. Each flow registers a
 * handler under its flow-name prefix; a record the handler reports written is marked resolved, the rest stay parked
 * with one more attempt and the reason of this try. Handlers skip what their ledger already holds, so a replay
 * never writes anything twice.
 */
public class ParkedReplay {
    /** Writes one flow's parked records again. */
    public interface Handler {
        /**
         * @return the record keys that are now written (including those written before); a record that fails again
         *         is re-parked by the handler's own write path or, if it was not, by the caller
         */
        Set<String> replay(String flow, List<ParkedRecord> records);
    }

    /** What the records of one flow came to; {@code error} is why the flow could not be replayed at all, else null. */
    public record FlowResult(String flow, int replayed, int resolved, int stillParked, String error) {
    }

    /**
     * @param fatal   why the replay stopped (rejected credentials, a schema that lacks a field), else null
     * @param skipped records not sent: already resolved, or of a flow no handler replays
     */
    public record Result(List<FlowResult> flows, List<ParkedRecord> skipped, String fatal) {
        /** True when at least one flow was tried and none could be reached. */
        public boolean nothingReached() {
            return !flows.isEmpty() && flows.stream().allMatch(f -> f.error() != null);
        }
    }

    /** Most records one replay run selects, so that a run stays within one Salesforce call budget. */
    public static final int MAX_RECORDS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ParkedReplay.class);

    private final ParkedRecords parked;
    private final Map<FlowId, Handler> handlers = new java.util.EnumMap<>(FlowId.class);

    public ParkedReplay(ParkedRecords parked) {
        this.parked = parked;
    }

    /** Replays the parked records of these flows with {@code handler}. */
    public ParkedReplay register(Handler handler, FlowId... flows) {
        for (FlowId flow : flows) {
            handlers.put(flow, handler);
        }
        return this;
    }

    /** The handler of the flow a parked record belongs to (by its key, or the route id older stores parked under). */
    public Optional<Handler> handlerFor(String flow) {
        return FlowId.ofParked(flow).map(handlers::get);
    }

    /**
     * The records a replay would send: those with the given ids (whatever the filter says), else the PARKED records
     * the filter selects, at most {@code limit}.
     */
    public static List<ParkedRecord> select(ParkedRecords parked, List<Long> ids, ParkedRecords.Filter filter, int limit) {
        if (ids != null && !ids.isEmpty()) {
            return ids.stream().distinct().map(parked::byId).flatMap(Optional::stream).toList();
        }
        ParkedRecords.Filter onlyParked = new ParkedRecords.Filter(filter.flow(), filter.errorCode(), filter.reasonContains(),
                filter.seenFrom(), filter.seenTo(), ParkedRecords.Status.PARKED);
        return parked.list(onlyParked, Math.min(limit, MAX_RECORDS));
    }

    public Result replay(List<ParkedRecord> selected) {
        List<ParkedRecord> skipped = new ArrayList<>();
        Map<String, List<ParkedRecord>> byFlow = new LinkedHashMap<>();
        for (ParkedRecord r : selected) {
            if (r.status() == ParkedRecords.Status.RESOLVED || handlerFor(r.flow()).isEmpty()) {
                skipped.add(r);
            } else {
                byFlow.computeIfAbsent(r.flow(), f -> new ArrayList<>()).add(r);
            }
        }
        List<FlowResult> results = new ArrayList<>();
        for (var entry : byFlow.entrySet()) {
            try {
                results.add(replayFlow(entry.getKey(), entry.getValue()));
            } catch (FatalSyncException e) {
                // nothing more can succeed until an operator acts; the records stay as they were
                String why = Redactor.redact(e.getMessage());
                LOG.error("replay of flow {} stopped: {}", entry.getKey(), why);
                return new Result(results, skipped, why);
            }
        }
        return new Result(results, skipped, null);
    }

    private FlowResult replayFlow(String flow, List<ParkedRecord> records) {
        Set<String> written;
        String error = null;
        try {
            written = handlerFor(flow).orElseThrow().replay(flow, records);
        } catch (FatalSyncException e) {
            throw e;
        } catch (RuntimeException e) {
            error = Redactor.redact(String.valueOf(e.getMessage()));
            written = Set.of();
        }
        int resolved = 0;
        for (ParkedRecord r : records) {
            if (written.contains(r.recordKey())) {
                parked.markResolved(r.id());
                resolved++;
                continue;
            }
            ParkedRecord now = parked.byId(r.id()).orElse(r);
            if (now.attempts() == r.attempts()) {
                // the write path did not park it again (unreachable, undecodable, nothing to write it with): count the try
                parked.park(r.flow(), r.recordKey(), r.payload(), error == null ? r.reason() : "replay failed: " + error,
                        r.errorKind(), r.errorCode());
            }
        }
        LOG.info("replayed {} parked records of flow {}: {} resolved, {} still parked", records.size(), flow, resolved,
                records.size() - resolved);
        return new FlowResult(flow, records.size(), resolved, records.size() - resolved, error);
    }
}
