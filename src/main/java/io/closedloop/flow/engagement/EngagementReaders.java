package io.closedloop.flow.engagement;

import io.closedloop.config.ClosedloopSettings;
import io.closedloop.core.StartFrom;
import io.closedloop.hubspot.HubSpotClient;
import io.closedloop.hubspot.HubSpotEmailEventReader;
import io.closedloop.hubspot.HubSpotFormSelector;
import io.closedloop.hubspot.HubSpotFormSubmissionReader;
import io.closedloop.hubspot.HubSpotListMembershipReader;
import io.closedloop.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The engagement readers as the live sources build them, from a given start: the daemon's and the backfill's alike. */
public final class EngagementReaders {
    private EngagementReaders() {
    }

    public static HubSpotEmailEventReader emailEvents(HubSpotClient hubspot, ClosedloopSettings settings, StartFrom startFrom) {
        return new HubSpotEmailEventReader(hubspot, ReaderWindows.emailEvents(startFrom, settings.sweepPeriod(), settings.sweepDepth()),
                settings.pollChunk());
    }

    /** @param fullRead how often every form is read (the backfill reads every form every time: {@link Duration#ZERO}) */
    public static HubSpotFormSubmissionReader formSubmissions(HubSpotClient hubspot, ClosedloopSettings settings, StartFrom startFrom,
                                                              Duration fullRead) {
        return new HubSpotFormSubmissionReader(hubspot, new HubSpotFormSubmissionReader.Window(startFrom, EngagementFlow.FORM_OVERLAP,
                settings.sweepPeriod(), settings.sweepDepth()), new HubSpotFormSelector(hubspot, fullRead), settings.pollChunk());
    }

    public static HubSpotListMembershipReader listMemberships(HubSpotClient hubspot, StateStore store, ClosedloopSettings settings,
                                                              StartFrom startFrom) {
        return new HubSpotListMembershipReader(hubspot, store.listMemberships(), watchedLists(settings), startFrom, settings.pollChunk());
    }

    /** HUBSPOT_LIST_IDS, plus the reverse SLA's nurture list: joining it is marketing's action, read like any list. */
    static List<String> watchedLists(ClosedloopSettings settings) {
        String nurture = settings.dispositionRules().reverseSla().nurtureListId();
        List<String> ids = new ArrayList<>(settings.hubspotListIds());
        if (nurture != null && !ids.contains(nurture)) {
            ids.add(nurture);
        }
        return ids;
    }
}
