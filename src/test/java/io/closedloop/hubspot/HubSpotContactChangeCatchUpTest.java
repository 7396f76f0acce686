package io.closedloop.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.closedloop.core.ActivityType;
import io.closedloop.core.ContactProfile;
import io.closedloop.core.EngagementEvent;
import io.closedloop.state.ContactStates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first contact-change poll records the MQLs that already exist (issue: history on day one). */
class HubSpotContactChangeCatchUpTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final long WINDOW_START = NOW.minus(Duration.ofDays(7)).toEpochMilli();
    private static final HubSpotContactChangeReader.MqlDefinition MQL = new HubSpotContactChangeReader.MqlDefinition("marketingqualifiedlead", null);

    private final List<EngagementEvent> events = new ArrayList<>();
    private final List<ContactProfile> profiles = new ArrayList<>();

    private static ObjectNode mql(Instant entered) {
        ObjectNode p = new ObjectMapper().createObjectNode();
        p.put("email", "ada@acme.example");
        p.put("lifecyclestage", "marketingqualifiedlead");
        p.put("lastmodifieddate", NOW.minusSeconds(30).toString());
        p.put("hs_lifecyclestage_marketingqualifiedlead_date", entered.toString());
        return p;
    }

    @Test
    void anMqlWhoEnteredTheStageInsideTheFirstWindowBecomesAnMqlMomentAtItsStageEnteredDate() {
        Instant entered = NOW.minus(Duration.ofDays(2));
        ContactStates.State state = HubSpotContactChangeReader.diff("101", mql(entered), null, true, WINDOW_START, MQL, events, profiles);

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ActivityType.BECAME_MQL);
            assertThat(e.occurredAt()).isEqualTo(entered);
            assertThat(e.id()).isEqualTo(EngagementEvent.idOf("crm", "101", "mql", Long.toString(entered.toEpochMilli())));
            assertThat(e.details()).containsKey(EngagementEvent.CATCH_UP);
        });
        assertThat(profiles).singleElement().satisfies(p -> assertThat(p.mqlAt()).isEqualTo(entered));
        assertThat(state.mqlAt()).isEqualTo(entered);
    }

    @Test
    void anOlderMqlGetsItsMqlAtRecordedButNoMomentAndNoClock() {
        Instant entered = NOW.minus(Duration.ofDays(40));
        HubSpotContactChangeReader.diff("102", mql(entered), null, true, WINDOW_START, MQL, events, profiles);

        assertThat(events).isEmpty();
        assertThat(profiles).singleElement().satisfies(p -> assertThat(p.mqlAt()).isEqualTo(entered));
    }

    @Test
    void afterTheFirstPollAnUnchangedMqlIsNothingNew() {
        Instant entered = NOW.minus(Duration.ofDays(2));
        ContactStates.State first = HubSpotContactChangeReader.diff("103", mql(entered), null, true, WINDOW_START, MQL, events, profiles);
        events.clear();
        profiles.clear();
        HubSpotContactChangeReader.diff("103", mql(entered), first, false, WINDOW_START, MQL, events, profiles);
        assertThat(events).isEmpty();
    }
}
