package io.closedloop.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.closedloop.core.ErrorKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The state store's behaviour, run unchanged against H2 and against a real PostgreSQL. */
abstract class StateStoreContract extends StateStoreConcurrencyContract {

    @Test
    void migrationsCreateEveryTable() throws Exception {
        try (var c = store().dataSource().getConnection()) {
            for (String table : List.of("source_cursor", "identity_map", "event_ledger", "parked_record", "sync_run", "sla_clock",
                    "list_membership", "domain_account", "contact_state", "summary_pending", "subject_profile", "email_identity",
                    "disposition_state", "won_opportunity_contact", "campaign_attribution", "disposition_verdict", "sql_moment",
                    "account_activity_day", "account_person")) {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                    assertThat(rs.next()).as(table).isTrue();
                    assertThat(rs.getLong(1)).as(table).isZero();
                }
            }
        }
    }

    @Test
    void domainAccountsAreFoundManyAtATimeWithTheirNoAccountAndWithoutStaleOnes() {
        java.util.Map<String, String> put = new java.util.HashMap<>();
        for (int i = 0; i < 1_203; i++) {
            // every third domain has no Account: remembered as such
            put.put("d" + i + ".example", i % 3 == 0 ? null : "001" + i);
        }
        store().domainAccounts().put(put);
        clock.advance(java.time.Duration.ofHours(2));
        store().domainAccounts().put(java.util.Map.of("fresh.example", "001fresh"));
        List<String> asked = new java.util.ArrayList<>(put.keySet());
        asked.add("fresh.example");
        asked.add("unknown.example");

        var all = store().domainAccounts().find(asked, T0);
        assertThat(all).hasSize(1_204).doesNotContainKey("unknown.example");
        assertThat(all.get("d3.example")).isEmpty();
        assertThat(all.get("d1201.example")).contains("0011201");
        assertThat(all.get("fresh.example")).contains("001fresh");
        // resolved before the freshness limit: looked up again
        assertThat(store().domainAccounts().find(asked, T0.plus(java.time.Duration.ofHours(1)))).containsOnlyKeys("fresh.example");
    }

    @Test
    void contactSnapshotsProfilesAndCachedResolutionsRoundTrip() {
        store().contactStates().put(List.of(new ContactStates.State("101", 35, "lead", 4, "https://x.example/p", T0, null, "NEW")));
        store().contactStates().put(List.of(new ContactStates.State("101", 80, "marketingqualifiedlead", 6, null, T0, T0.plusSeconds(5), "OPEN")));
        assertThat(store().contactStates().find(List.of("101", "102"))).containsOnlyKeys("101")
                .hasEntrySatisfying("101", s -> {
                    assertThat(s.score()).isEqualTo(80);
                    assertThat(s.mqlAt()).isEqualTo(T0.plusSeconds(5));
                    assertThat(s.lastUrl()).isNull();
                });
        store().profiles().record(java.util.Map.of("00Q1", new SubjectProfiles.Profile(40, T0, null)));
        store().profiles().record(java.util.Map.of("00Q1", new SubjectProfiles.Profile(30, T0.minusSeconds(60), T0)));
        // an older score does not win; the first MQL moment is kept
        assertThat(store().profiles().find(List.of("00Q1")).get("00Q1")).isEqualTo(new SubjectProfiles.Profile(40, T0, T0));
        store().identities().rememberResolved(List.of(new IdentityMap.Resolved("o'brien@x.example", "Lead", "00Q1", null, "0051", null)));
        assertThat(store().identities().resolved(List.of("o'brien@x.example"), T0.minusSeconds(1))).containsKey("o'brien@x.example");
        clock.advance(Duration.ofHours(1));
        assertThat(store().identities().resolved(List.of("o'brien@x.example"), clock.instant().minusSeconds(60))).isEmpty();
        store().identities().forgetResolved(List.of("o'brien@x.example"));
        assertThat(store().identities().resolved(List.of("o'brien@x.example"), Instant.EPOCH)).isEmpty();
    }

    @Test
    void dispositionFingerprintsWonAmountsAndAttributionRoundTrip() {
        Dispositions d = store().dispositions();
        d.saveFingerprints(java.util.Map.of("00Q1", "aa", "006X", "bb"));
        d.saveFingerprints(java.util.Map.of("00Q1", "cc"));
        assertThat(d.fingerprints(List.of("00Q1", "006X", "00Q9"))).containsOnly(java.util.Map.entry("00Q1", "cc"), java.util.Map.entry("006X", "bb"));
        d.recordWon("006A", List.of("a@x.example", "b@x.example"), new java.math.BigDecimal("1000.50"), T0);
        d.recordWon("006B", List.of("a@x.example"), new java.math.BigDecimal("500"), T0);
        d.recordWon("006B", List.of("a@x.example"), new java.math.BigDecimal("500"), T0);
        assertThat(d.wonAmounts(List.of("a@x.example", "b@x.example")).get("a@x.example")).isEqualByComparingTo("1500.50");
        d.saveAttribution("006A", List.of(new Dispositions.Attribution("006A", "linear", "Webinar", new java.math.BigDecimal("600")),
                new Dispositions.Attribution("006A", "linear", "Email", new java.math.BigDecimal("400.50"))));
        d.saveAttribution("006A", List.of(new Dispositions.Attribution("006A", "linear", "Webinar", new java.math.BigDecimal("1000.50"))));
        assertThat(d.attributionOf("006A")).singleElement().satisfies(a -> assertThat(a.campaign()).isEqualTo("Webinar"));
        assertThat(d.campaignTotals()).singleElement().satisfies(t -> assertThat(t.amount()).isEqualByComparingTo("1000.50"));
    }

    @Test
    void anSqlMomentIsRecordedOncePerLeadAndMarkedOncePerSystem() {
        SqlMoments m = store().sqlMoments();
        var first = new io.closedloop.core.SalesQualified("00Q1", "a@x.example", "Lead", "00Q1", io.closedloop.core.Disposition.WORKING, T0);
        m.record(List.of(first, new io.closedloop.core.SalesQualified("00Q2", null, "Contact", "003B", io.closedloop.core.Disposition.CONVERTED,
                T0.plusSeconds(5))));
        // the same Lead qualifying again later keeps its first moment
        m.record(List.of(new io.closedloop.core.SalesQualified("00Q1", "a@x.example", "Contact", "003A", io.closedloop.core.Disposition.CONVERTED,
                T0.plusSeconds(60))));
        assertThat(m.pending(10)).extracting(p -> p.moment()).containsExactly(first,
                new io.closedloop.core.SalesQualified("00Q2", null, "Contact", "003B", io.closedloop.core.Disposition.CONVERTED, T0.plusSeconds(5)));
        m.markHubSpot(List.of("00Q1", "00Q2"));
        m.markSalesforce(List.of("00Q1"));
        Instant marked = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        m.markSalesforce(List.of("00Q1"));
        assertThat(m.pending(10)).singleElement().satisfies(p -> {
            assertThat(p.moment().leadId()).isEqualTo("00Q2");
            assertThat(p.hubspotAt()).isNotNull();
            assertThat(p.salesforceAt()).isNull();
        });
        assertThat(m.since(T0)).filteredOn(p -> p.moment().leadId().equals("00Q1")).singleElement()
                .satisfies(p -> assertThat(p.salesforceAt()).isEqualTo(marked));
        assertThat(m.of(List.of("00Q1", "00Q9"))).containsOnly(java.util.Map.entry("00Q1", T0));
        assertThat(m.since(T0.plusSeconds(1))).extracting(p -> p.moment().leadId()).containsExactly("00Q2");
    }

    @Test
    void theFunnelReportReadsVerdictsOfOneKindClocksStartedAndRevenueWonSince() {
        Dispositions d = store().dispositions();
        d.recordVerdicts(List.of(new Dispositions.Verdict("00Q1", "rejected", "No budget", T0, null),
                new Dispositions.Verdict("006A", "lost", null, T0, null)));
        assertThat(d.verdictsSince("rejected", T0.minusSeconds(1))).extracting(Dispositions.Verdict::sfId).containsExactly("00Q1");
        d.recordWon("006W", List.of("a@x.example"), new java.math.BigDecimal("900"), T0);
        d.saveAttribution("006W", List.of(new Dispositions.Attribution("006W", "linear", "Spring", new java.math.BigDecimal("900"))));
        d.recordWon("006V", List.of("b@x.example"), new java.math.BigDecimal("100"), T0.minus(Duration.ofDays(40)));
        d.saveAttribution("006V", List.of(new Dispositions.Attribution("006V", "linear", "Spring", new java.math.BigDecimal("100"))));
        assertThat(d.campaignTotalsClosedSince(T0.minus(Duration.ofDays(30)))).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualByComparingTo("900"));
        store().slaClocks().start("c1", "00Q1", "005A", T0, T0.plus(Duration.ofHours(24)));
        store().slaClocks().start("c2", "00Q2", "005A", T0.minus(Duration.ofDays(40)), T0);
        assertThat(store().slaClocks().startedSince(T0.minus(Duration.ofDays(30)))).extracting(SlaClocks.SlaClock::hubspotContactId)
                .containsExactly("c1");
    }

    @Test
    void verdictsAreRecordedOncePerDecisionCountedByReasonAndForgottenAfterRetention() {
        Dispositions d = store().dispositions();
        d.recordVerdicts(List.of(new Dispositions.Verdict("00Q1", "rejected", "No budget", T0, null),
                new Dispositions.Verdict("00Q2", "rejected", "No budget", T0, null),
                new Dispositions.Verdict("006A", "lost", null, T0, null)));
        // the same decision read again (an overlap window, a restart) is not a second verdict
        d.recordVerdicts(List.of(new Dispositions.Verdict("00Q1", "rejected", "No budget", T0, null)));
        clock.advance(Duration.ofMinutes(1));
        d.recordVerdicts(List.of(new Dispositions.Verdict("00Q1", "rejected", "Timing", T0.plusSeconds(30), null)));
        assertThat(d.verdictCounts(T0.minusSeconds(1))).extracting(c -> c.disposition() + "/" + c.reason() + "=" + c.count())
                .containsExactly("rejected/No budget=2", "lost/null=1", "rejected/Timing=1");
        // newest first, ties by record id
        assertThat(d.recentVerdicts(T0.minusSeconds(1), 3)).extracting(v -> v.sfId() + "/" + v.reason())
                .containsExactly("00Q1/Timing", "006A/null", "00Q1/No budget");
        assertThat(d.forgetVerdictsBefore(clock.instant())).isEqualTo(3);
        assertThat(d.recentVerdicts(T0.minusSeconds(1), 10)).singleElement().satisfies(v -> assertThat(v.sfId()).isEqualTo("00Q1"));
    }

    @Test
    void cursorRoundTripsAndMovesForward() {
        CursorStore cursors = store().cursors();
        assertThat(cursors.get("hubspot-email-events")).isEmpty();
        cursors.put("hubspot-email-events", "{\"watermark\":1717405261123}");
        cursors.put("hubspot-email-events", "{\"watermark\":1717405299999}");
        cursors.put("hubspot-forms", "{\"after\":\"abc\"}");
        assertThat(cursors.get("hubspot-email-events")).contains("{\"watermark\":1717405299999}");
        assertThat(cursors.get("hubspot-forms")).contains("{\"after\":\"abc\"}");
    }

    @Test
    void listMembershipsTakeABaselineThenJoinsAndLeavesPerList() {
        ListMemberships lists = store().listMemberships();
        Instant joined = Instant.parse("2026-11-20T08:00:00.123Z");
        lists.apply(List.of(new ListMemberships.Change("1234", true, java.util.Map.of("101", joined, "102", joined), java.util.Set.of()),
                new ListMemberships.Change("77", true, java.util.Map.of("101", joined), java.util.Set.of())));
        lists.apply(List.of(new ListMemberships.Change("1234", false, java.util.Map.of("103", T0), java.util.Set.of("101"))));
        assertThat(lists.members("1234")).containsOnlyKeys("102", "103").containsEntry("102", joined).containsEntry("103", T0);
        assertThat(lists.members("77")).containsOnlyKeys("101");

        // a new baseline replaces the list's rows outright
        lists.apply(List.of(new ListMemberships.Change("1234", true, java.util.Map.of("104", T0), java.util.Set.of())));
        assertThat(lists.members("1234")).containsOnlyKeys("104");
        assertThat(lists.members("999")).isEmpty();
    }

    @Test
    void identityMapFindsByContactEmailDomainAndSalesforceId() {
        IdentityMap ids = store().identities();
        ids.put(IdentityMap.Identity.of("101", "O'Brien@Example.com", "00Q000000000001AAA", null, null, T0));
        ids.put(IdentityMap.Identity.of("102", "ada@example.com", null, "003000000000001AAA", "001000000000001AAA", T0));
        ids.put(IdentityMap.Identity.of("103", "bob@other.org", "00Q000000000002AAA", null, null, T0));
        // a converted lead: the same contact id now maps to a Contact too
        ids.put(IdentityMap.Identity.of("101", "o'brien@example.com", "00Q000000000001AAA", "003000000000009AAA",
                "001000000000001AAA", T0.plusSeconds(60)));

        assertThat(ids.byContactId("101")).hasValueSatisfying(id -> {
            assertThat(id.email()).isEqualTo("o'brien@example.com");
            assertThat(id.emailDomain()).isEqualTo("example.com");
            assertThat(id.sfContactId()).isEqualTo("003000000000009AAA");
            assertThat(id.resolvedAt()).isEqualTo(T0.plusSeconds(60));
        });
        assertThat(ids.byEmail("O'BRIEN@example.com")).extracting(IdentityMap.Identity::hubspotContactId).containsExactly("101");
        assertThat(ids.byDomain("Example.com")).extracting(IdentityMap.Identity::hubspotContactId).containsExactly("101", "102");
        assertThat(ids.bySalesforceId("001000000000001AAA")).extracting(IdentityMap.Identity::hubspotContactId)
                .containsExactly("101", "102");
        assertThat(ids.byContactId("999")).isEmpty();
    }

    @Test
    void ledgerRecordsAnEventOnlyOnce() {
        EventLedger ledger = store().ledger();
        assertThat(ledger.record("email:abc:1717405261123", "hubspot-engagement", "Marketing_Activity__c", "a00000000000001AAA")).isTrue();
        assertThat(ledger.record("email:abc:1717405261123", "hubspot-engagement", "Marketing_Activity__c", "a00000000000002AAA")).isFalse();
        assertThat(ledger.find("email:abc:1717405261123")).hasValueSatisfying(e -> {
            assertThat(e.targetId()).isEqualTo("a00000000000001AAA");
            assertThat(e.writtenAt()).isEqualTo(T0);
        });
        assertThat(ledger.count("hubspot-engagement")).isEqualTo(1);
    }

    @Test
    void ledgerReportsWhichIdsOfALargeBatchExist() {
        EventLedger ledger = store().ledger();
        for (int i = 0; i < 1200; i += 3) {
            ledger.record("evt-" + i, "f", "Task", null);
        }
        List<String> batch = java.util.stream.IntStream.range(0, 1200).mapToObj(i -> "evt-" + i).toList();
        assertThat(ledger.existing(batch)).hasSize(400).contains("evt-0", "evt-3", "evt-1197").doesNotContain("evt-1");
    }

    @Test
    void ledgerKeepsActivityDetailsForSummariesAndRollUps() {
        EventLedger ledger = store().ledger();
        ledger.recordActivities("Marketing_Activity__c", List.of(
                new EventLedger.Activity("e1", "f", "a01", "00QA", "001X", "Email Click", "Pricing update", T0.minus(Duration.ofDays(1))),
                new EventLedger.Activity("e2", "f", "a02", "003B", "001X", "Form Submission", "Demo request", T0.minus(Duration.ofDays(10))),
                new EventLedger.Activity("e3", "f", "a03", "00QA", null, "Email Open", "Q4 newsletter", T0.minus(Duration.ofHours(2)))));
        // recording the same event again changes nothing
        ledger.recordActivities("Marketing_Activity__c", List.of(new EventLedger.Activity("e1", "f", "zzz", "00QA", "001X", "Email Click", "other", T0)));

        assertThat(ledger.activitiesOfSubjects(List.of("00QA"), T0.minus(Duration.ofDays(7))))
                .extracting(EventLedger.Activity::eventId).containsExactly("e3", "e1");
        assertThat(ledger.activitiesOfAccounts(List.of("001X"), T0.minus(Duration.ofDays(30))))
                .extracting(EventLedger.Activity::eventId).containsExactly("e1", "e2");
        assertThat(ledger.find("e1")).hasValueSatisfying(e -> assertThat(e.targetId()).isEqualTo("a01"));
        assertThat(ledger.existing(List.of("e1", "e2", "e4"))).containsExactlyInAnyOrder("e1", "e2");
    }

    /**
     * A chunk larger than one set-based statement (PostgreSQL: {@link Jdbc#SET_ROWS} rows a statement) with the same
     * event twice, events already recorded, and values an array's text form must keep apart (quotes, braces, commas,
     * backslashes, the word NULL, an empty string, a null, a non-BMP character, nanoseconds): each new event is recorded
     * once with its own values, the first of a repeated one wins, and the roll-ups count each once.
     */
    @Test
    void aLargeChunkRecordsEachNewEventOnceWithItsValuesIntact() {
        EventLedger ledger = store().ledger();
        ledger.recordActivities("Marketing_Activity__c", List.of(
                new EventLedger.Activity("big-7", "f", "a-earlier", "00QP0", "001P", "Email Open", "x", T0.minusSeconds(60))));
        String[] assets = {"Q4 \"launch\" {beta}, part 1", "back\\slash", "NULL", "", null, "caf\u00e9 \ud83d\ude80", "a,b", "{}", "'quoted'"};
        int n = Jdbc.SET_ROWS + 3;
        List<EventLedger.Activity> chunk = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            chunk.add(new EventLedger.Activity("big-" + i, "f", "a" + i, "00QP" + (i % 4), i % 5 == 0 ? null : "001P",
                    i % 2 == 0 ? "Email Open" : "Email Click", assets[i % assets.length], T0.minusSeconds(i).minusNanos(123_456_789)));
        }
        // the same event again in the same chunk, with other details: the first one is kept
        chunk.add(new EventLedger.Activity("big-3", "f", "a-again", "00QP3", "001P", "Page Visit", "other", T0));
        java.util.Collections.shuffle(chunk.subList(0, n), new java.util.Random(7));
        chunk.add(0, new EventLedger.Activity("big-2", "f", "a-first", "00QP2", "001P", "Email Open", "first", T0.minusSeconds(5)));

        ledger.recordActivities("Marketing_Activity__c", chunk);

        assertThat(ledger.find("big-7")).hasValueSatisfying(e -> assertThat(e.targetId()).isEqualTo("a-earlier"));
        assertThat(ledger.find("big-2")).hasValueSatisfying(e -> assertThat(e.targetId()).isEqualTo("a-first"));
        assertThat(ledger.find("big-3")).hasValueSatisfying(e -> assertThat(e.targetId()).isEqualTo("a3"));
        assertThat(ledger.find("big-" + (n - 1))).hasValueSatisfying(e -> assertThat(e.targetId()).isEqualTo("a" + (n - 1)));
        var stored = new java.util.HashMap<String, EventLedger.Activity>();
        ledger.activitiesOfSubjects(List.of("00QP0", "00QP1", "00QP2", "00QP3"), T0.minus(Duration.ofDays(1)))
                .forEach(a -> stored.put(a.eventId(), a));
        assertThat(stored).hasSize(n);
        for (int i = 0; i < n; i++) {
            if (i == 2 || i == 7) {
                continue;
            }
            EventLedger.Activity a = stored.get("big-" + i);
            assertThat(a.assetName()).as("asset of big-%d", i).isEqualTo(assets[i % assets.length]);
            assertThat(a.accountId()).isEqualTo(i % 5 == 0 ? null : "001P");
            assertThat(a.occurredAt()).isEqualTo(T0.minusSeconds(i).minusNanos(123_456_789).truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        }
        assertThat(stored.get("big-2").assetName()).isEqualTo("first");
        // every event with an Account counted once, the one recorded before included
        long withAccount = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 0).count();
        assertThat(ledger.accountActivity(List.of("001P"), T0.minus(Duration.ofDays(1))).get("001P").activities()).isEqualTo(withAccount);
        assertThat(ledger.accountActivity(List.of("001P"), T0.minus(Duration.ofDays(1))).get("001P").people()).isEqualTo(4);
    }

    /** An upsert of many rows, one key twice among them: the later row stays, the others are all written. */
    @Test
    void anUpsertOfManyRowsKeepsTheLaterOfARepeatedKey() {
        List<ContactStates.State> states = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            states.add(new ContactStates.State("c" + i, i, "lead", i, "https://x.example/" + i, T0, null, "NEW"));
        }
        states.add(new ContactStates.State("c7", 99, "marketingqualifiedlead", 1, null, T0.plusSeconds(1), null, "OPEN"));
        store().contactStates().put(states);

        var found = store().contactStates().find(states.stream().map(ContactStates.State::hubspotContactId).toList());
        assertThat(found).hasSize(30);
        assertThat(found.get("c7").score()).isEqualTo(99);
        assertThat(found.get("c7").lifecycleStage()).isEqualTo("marketingqualifiedlead");
        assertThat(found.get("c7").lastUrl()).isNull();
        assertThat(found.get("c29").score()).isEqualTo(29);
        assertThat(found.get("c29").lastUrl()).isEqualTo("https://x.example/29");
    }

    /** Campaign members go in all or none: a member the table refuses leaves none of the others written. */
    @Test
    void campaignMembersAreWrittenAllOrNone() {
        CampaignMembers campaigns = store().campaignMembers();
        List<CampaignMembers.Member> members = new java.util.ArrayList<>();
        for (int i = 0; i < 1_201; i++) {
            members.add(new CampaignMembers.Member("list:7", "p" + i, "00Qp" + i, "00vp" + i, "Member", T0, true));
        }
        members.add(new CampaignMembers.Member("list:7", "p-bad", "00Qbad", null, "Member", T0, true));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> campaigns.putMembers(members)).isInstanceOf(RuntimeException.class);
        assertThat(campaigns.members("list:7").size()).as("members written").isZero();

        campaigns.putMembers(members.subList(0, 1_201));
        var kept = campaigns.members("list:7");
        assertThat(kept.size()).isEqualTo(1_201);
        assertThat(kept.get("p1200").sfMemberId()).isEqualTo("00vp1200");
    }

    /** The summary queue takes a record queued twice in one call, and one queued before, as two queueings each. */
    @Test
    void theSummaryQueueCountsEveryQueueingOfOneCall() {
        SummaryQueue queue = store().summaryQueue();
        queue.add(List.of(new SummaryQueue.Pending("00QS1", "Lead")));
        queue.add(List.of(new SummaryQueue.Pending("00QS1", "Lead"), new SummaryQueue.Pending("00QS2", "Lead"),
                new SummaryQueue.Pending("00QS2", "Lead"), new SummaryQueue.Pending("003S3", "Contact")));

        assertThat(queue.next(10)).extracting(p -> p.sfId() + "/" + p.sobject() + "/" + p.version())
                .containsExactlyInAnyOrder("00QS1/Lead/1", "00QS2/Lead/1", "003S3/Contact/0");
    }

    @Test
    void accountActivityIsCountedInTheDatabaseExactlyAsTheActivitiesListed() {
        EventLedger ledger = store().ledger();
        List<EventLedger.Activity> rows = new java.util.ArrayList<>();
        String[] types = {"Email Open", "Email Click", "Page Visit"};
        for (int i = 0; i < 700; i++) {
            // two accounts, 7 people, three types with different counts; one activity too old to count
            rows.add(new EventLedger.Activity("acc-" + i, "f", "a" + i, "00Q" + (i % 7), i % 2 == 0 ? "001A" : "001B",
                    types[i % 5 == 0 ? 2 : i % 3 == 0 ? 1 : 0], "x", T0.minus(Duration.ofMinutes(i))));
        }
        rows.add(new EventLedger.Activity("acc-old", "f", "a-old", "00Q9", "001A", "Email Open", "x", T0.minus(Duration.ofDays(40))));
        ledger.recordActivities("Marketing_Activity__c", rows);
        Instant since = T0.minus(Duration.ofDays(30));

        var counted = ledger.accountActivity(List.of("001A", "001B", "001C"), since);

        assertThat(counted).containsOnlyKeys("001A", "001B");
        for (String account : List.of("001A", "001B")) {
            var listed = io.closedloop.salesforce.MarketingSummary.activity(ledger.activitiesOfAccounts(List.of(account), since));
            assertThat(counted.get(account).activities()).isEqualTo(350).isEqualTo(listed.activities());
            assertThat(counted.get(account).people()).isEqualTo(listed.people());
            assertThat(counted.get(account).byType()).containsExactlyInAnyOrderElementsOf(listed.byType());
            assertThat(io.closedloop.salesforce.MarketingSummary.forAccount(counted.get(account), 30))
                    .isEqualTo(io.closedloop.salesforce.MarketingSummary.forAccount(ledger.activitiesOfAccounts(List.of(account), since), 30));
        }
    }

    /**
     * The roll-up counts (V15) against a count of the ledger's own rows: across calls, a repeated event, activities
     * without a type or a person, and the edges of the window (the day {@code since} falls in is counted from
     * {@code since} on).
     */
    @Test
    void accountRollUpsCountWhatTheLedgerHoldsAcrossCallsDuplicatesAndTheWindowsEdge() {
        EventLedger ledger = store().ledger();
        Instant since = T0.minus(Duration.ofDays(30));
        Instant sinceDay = Instant.ofEpochSecond(EventLedger.day(since) * 86_400L);
        Instant nextDay = sinceDay.plus(Duration.ofDays(1));
        List<Instant> times = List.of(sinceDay, since.minusSeconds(1), since, since.plusSeconds(1), nextDay.minusSeconds(1), nextDay,
                T0.minus(Duration.ofHours(30)), T0.minus(Duration.ofHours(2)), T0);
        List<EventLedger.Activity> first = new java.util.ArrayList<>();
        List<EventLedger.Activity> second = new java.util.ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            String type = i == 3 ? null : i % 2 == 0 ? "Email Open" : "Form Submission";
            String subject = i == 4 ? null : "00Q" + (i % 3);
            (i % 2 == 0 ? first : second).add(new EventLedger.Activity("r-" + i, "f", "a" + i, subject, i % 4 == 0 ? "001B" : "001A",
                    type, "x", times.get(i)));
        }
        ledger.recordActivities("Marketing_Activity__c", first);
        // a repeated event (with other details) is not counted twice
        second.add(new EventLedger.Activity("r-0", "f", "zzz", "00Q7", "001A", "Page Visit", "x", T0));
        ledger.recordActivities("Marketing_Activity__c", second);
        ledger.recordActivities("Marketing_Activity__c", List.of(new EventLedger.Activity("r-8", "f", "zzz", "00Q7", "001A", "Page Visit", "x", T0)));

        assertRollUpsMatchTheLedger(ledger, since, since.minusSeconds(1), nextDay);
    }

    /** A store from before V15 has its ledger counted into the roll-ups by the migration, with the days Java keys them by. */
    @Test
    void theRollUpMigrationCountsTheLedgerAlreadyThere() throws Exception {
        EventLedger ledger = store().ledger();
        List<EventLedger.Activity> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new EventLedger.Activity("m-" + i, "f", "a" + i, i % 11 == 0 ? null : "00Q" + (i % 13), "001" + (i % 3),
                    i % 17 == 0 ? null : i % 2 == 0 ? "Email Open" : "Email Click", "x", T0.minus(Duration.ofHours(i * 7L))));
        }
        ledger.recordActivities("Marketing_Activity__c", rows);
        Instant since = T0.minus(Duration.ofDays(30));
        var before = ledger.accountActivity(List.of("0010", "0011", "0012"), since);
        try (var c = store().dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("DROP TABLE account_person");
            st.execute("DROP TABLE account_activity_day");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"script\" IN ('V15__account_activity_rollup.sql', "
                    + "'V16__drop_unused_ledger_index.sql', 'V17__ledger_account_index_via_people.sql')");
            st.execute("CREATE INDEX event_ledger_target ON event_ledger (target_id)");
            st.execute("CREATE INDEX event_ledger_account ON event_ledger (account_id, occurred_at)");
        }

        StateStore.migrate(store().dataSource(), store().dialect());

        assertThat(ledger.accountActivity(List.of("0010", "0011", "0012"), since)).isEqualTo(before).hasSize(3);
        assertRollUpsMatchTheLedger(ledger, since, T0.minus(Duration.ofDays(60)), T0.minus(Duration.ofDays(3)));
    }

    /** Each Account's roll-up for each window start equals the listing of its ledger rows, and its newest is theirs. */
    private static void assertRollUpsMatchTheLedger(EventLedger ledger, Instant... windowStarts) {
        List<String> accounts = List.of("001A", "001B", "0010", "0011", "0012", "001Z");
        for (Instant from : windowStarts) {
            var counted = ledger.accountActivity(accounts, from);
            for (String account : accounts) {
                var listed = ledger.activitiesOfAccounts(List.of(account), from);
                if (listed.isEmpty()) {
                    assertThat(counted).as(account + " from " + from).doesNotContainKey(account);
                    continue;
                }
                var expected = io.closedloop.salesforce.MarketingSummary.activity(listed);
                assertThat(counted.get(account).activities()).as(account + " from " + from).isEqualTo(expected.activities());
                assertThat(counted.get(account).people()).as(account + " from " + from).isEqualTo(expected.people());
                assertThat(counted.get(account).byType()).as(account + " from " + from).containsExactlyInAnyOrderElementsOf(expected.byType());
            }
        }
        var newest = ledger.lastActivity("account_id", accounts);
        for (String account : accounts) {
            var all = ledger.activitiesOfAccounts(List.of(account), Instant.EPOCH);
            assertThat(newest.get(account)).as(account).isEqualTo(all.isEmpty() ? null : all.get(0).occurredAt());
        }
    }

    @Test
    void parkingTheSameRecordAgainCountsAttemptsAndKeepsFirstSeen() {
        ParkedRecords parked = store().parked();
        var first = parked.park("salesforce-activity-sink", "evt-1", "{\"id\":1}", "INVALID_FIELD: bad", ErrorKind.SKIPPABLE, "INVALID_FIELD");
        clock.advance(Duration.ofMinutes(5));
        var second = parked.park("salesforce-activity-sink", "evt-1", "{\"id\":1,\"v\":2}", "still bad", ErrorKind.SKIPPABLE, "INVALID_FIELD");
        parked.park("hubspot-feedback-sink", "lead-9", "{}", "no contact", ErrorKind.SKIPPABLE, "OBJECT_NOT_FOUND");

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.firstSeen()).isEqualTo(T0);
        assertThat(second.lastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(second.payload()).isEqualTo("{\"id\":1,\"v\":2}");
        assertThat(second.reason()).isEqualTo("still bad");
        assertThat(parked.countParked()).isEqualTo(2);
        assertThat(parked.summary()).containsExactly(
                new ParkedRecords.Count("hubspot-feedback-sink", ErrorKind.SKIPPABLE, "OBJECT_NOT_FOUND", 1),
                new ParkedRecords.Count("salesforce-activity-sink", ErrorKind.SKIPPABLE, "INVALID_FIELD", 1));
    }

    @Test
    void parkedRecordsFilterByFlowCodeReasonTimeAndStatus() {
        ParkedRecords parked = store().parked();
        var a = parked.park("flow-a", "k1", "p", "Bad picklist value 100%_off", ErrorKind.SKIPPABLE, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        clock.advance(Duration.ofHours(1));
        parked.park("flow-a", "k2", "p", "timeout", ErrorKind.RETRIABLE, "SocketTimeoutException");
        parked.park("flow-b", "k3", "p", "Bad picklist value", ErrorKind.SKIPPABLE, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");

        assertThat(parked.list(new ParkedRecords.Filter("flow-a", null, null, null, null, null), 10)).hasSize(2);
        assertThat(parked.list(new ParkedRecords.Filter(null, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", null, null, null, null), 10))
                .extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k1", "k3");
        // LIKE wildcards in the search text are matched literally
        assertThat(parked.list(new ParkedRecords.Filter(null, null, "100%_OFF", null, null, null), 10))
                .extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k1");
        assertThat(parked.list(new ParkedRecords.Filter(null, null, null, T0.plusSeconds(1), null, null), 10))
                .extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k2", "k3");

        parked.markResolved(a.id());
        assertThat(parked.list(ParkedRecords.Filter.parkedIn("flow-a"), 10)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k2");
        assertThat(parked.byId(a.id())).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(ParkedRecords.Status.RESOLVED));
        assertThat(parked.list(ParkedRecords.Filter.all(), 2)).hasSize(2);
    }

    @Test
    void parkedPayloadOfAnySizeAndUnicodeSurvives() {
        String payload = "{\"name\":\"\u05e9\u05dc\u05d5\u05dd \uD83D\uDE80 Zo\u00eb\",\"blob\":\"" + "x".repeat(2_000_000) + "\"}";
        var r = store().parked().park("flow", "big", payload, "r".repeat(5000), ErrorKind.SKIPPABLE, "STRING_TOO_LONG");
        assertThat(r.payload()).isEqualTo(payload);
        assertThat(r.reason()).hasSize(ParkedRecords.MAX_REASON);
    }

    @Test
    void retentionDeletesRecordsLastSeenBeforeTheCutoff() {
        ParkedRecords parked = store().parked();
        parked.park("f", "old", "p", "r", ErrorKind.SKIPPABLE, null);
        clock.advance(Duration.ofDays(31));
        parked.park("f", "new", "p", "r", ErrorKind.SKIPPABLE, null);
        assertThat(parked.deleteLastSeenBefore(clock.instant().minus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(parked.list(ParkedRecords.Filter.all(), 10)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("new");
    }

    @Test
    void theDueSetHoldsWaitingAndRetriableRecordsOfTheGivenFlowsWhoseNextAttemptHasComeByIdPageByPage() {
        ParkedRecords parked = store().parked();
        var a = parked.park("flow-a", "k1", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        var b = parked.park("flow-a", "k2", "p", "timeout", ErrorKind.RETRIABLE, "SocketTimeoutException");
        parked.park("flow-a", "k3", "p", "bad picklist", ErrorKind.SKIPPABLE, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        var c = parked.park("flow-a", "k4", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        parked.park("flow-b", "k5", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        var resolved = parked.park("flow-a", "k6", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        parked.markResolved(resolved.id());

        assertThat(a.nextAttempt()).as("a new record is due at once").isEqualTo(T0);
        assertThat(parked.due(List.of("flow-a"), T0, 0, 2)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k1", "k2");
        assertThat(parked.due(List.of("flow-a"), T0, b.id(), 2)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k4");
        assertThat(parked.due(List.of("flow-a"), T0, c.id(), 2)).isEmpty();
        assertThat(parked.due(List.of("flow-a", "flow-b"), T0.minusSeconds(1), 0, 10)).as("nothing is due before it was parked").isEmpty();
        assertThat(parked.countParked(true)).isEqualTo(3);
        assertThat(parked.countParked(false)).isEqualTo(2);
    }

    @Test
    void aScheduledRetryLeavesTheDueSetUntilItsTimeAndKeepsWhenTheRecordWasLastSeen() {
        ParkedRecords parked = store().parked();
        var a = parked.park("flow-a", "k1", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        var b = parked.park("flow-a", "k2", "p", "no Lead yet", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED);
        clock.advance(Duration.ofMinutes(1));
        // the retry re-parks through the sink (attempts up), then schedules
        parked.parkAll(List.of(new ParkedRecords.Parking("flow-a", "k1", "p2", "still no Lead", ErrorKind.SKIPPABLE, ParkedRecords.UNMATCHED)));
        parked.scheduleRetries(List.of(new ParkedRecords.Retry(a.id(), T0.plus(Duration.ofMinutes(16)), a.lastSeen())));

        assertThat(parked.due(List.of("flow-a"), clock.instant(), 0, 10)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("k2");
        assertThat(parked.due(List.of("flow-a"), T0.plus(Duration.ofMinutes(16)), 0, 10)).extracting(ParkedRecords.ParkedRecord::id)
                .containsExactly(a.id(), b.id());
        assertThat(parked.byId(a.id())).hasValueSatisfying(r -> {
            assertThat(r.attempts()).isEqualTo(2);
            assertThat(r.payload()).isEqualTo("p2");
            assertThat(r.lastSeen()).as("an automatic attempt is not a sighting: retention counts from T0").isEqualTo(T0);
        });
        assertThat(parked.deleteLastSeenBefore(T0.plusSeconds(1))).isEqualTo(2);
    }

    @Test
    void parkingManyAtOnceInsertsTheNewUpdatesTheKnownAndSurvivesAKeyGivenTwice() {
        ParkedRecords parked = store().parked();
        parked.park("f", "known", "p", "r", ErrorKind.SKIPPABLE, "X");
        parked.parkAll(List.of(new ParkedRecords.Parking("f", "known", "p2", "r2", ErrorKind.SKIPPABLE, "Y"),
                new ParkedRecords.Parking("f", "new", "p", "r", ErrorKind.RETRIABLE, null)));
        parked.parkAll(List.of(new ParkedRecords.Parking("f", "twice", "p", "r", ErrorKind.SKIPPABLE, "Z"),
                new ParkedRecords.Parking("f", "twice", "p", "r", ErrorKind.SKIPPABLE, "Z")));
        assertThat(parked.list(ParkedRecords.Filter.all(), 10)).extracting(r -> r.recordKey() + ":" + r.attempts() + ":" + r.errorCode())
                .containsExactly("known:2:Y", "new:1:null", "twice:2:Z");
    }

    @Test
    void retentionDeletesResolvedRecordsWhateverTheirAge() {
        ParkedRecords parked = store().parked();
        var fixed = parked.park("f", "fixed", "p", "r", ErrorKind.SKIPPABLE, null);
        parked.park("f", "open", "p", "r", ErrorKind.SKIPPABLE, null);
        parked.markResolved(fixed.id());
        assertThat(parked.deleteResolved()).isEqualTo(1);
        assertThat(parked.list(ParkedRecords.Filter.all(), 10)).extracting(ParkedRecords.ParkedRecord::recordKey).containsExactly("open");
    }

    @Test
    void summaryCountsOnlyWhatTheFilterSelects() {
        ParkedRecords parked = store().parked();
        parked.park("flow-a", "k1", "p", "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
        parked.park("flow-a", "k2", "p", "no Lead yet", ErrorKind.SKIPPABLE, "UNMATCHED");
        var done = parked.park("flow-a", "k3", "p", "too long", ErrorKind.SKIPPABLE, "STRING_TOO_LONG");
        parked.park("flow-b", "k4", "p", "too long", ErrorKind.SKIPPABLE, "STRING_TOO_LONG");
        parked.markResolved(done.id());

        assertThat(parked.summary(new ParkedRecords.Filter("flow-a", null, null, null, null, null))).containsExactly(
                new ParkedRecords.Count("flow-a", ErrorKind.SKIPPABLE, "UNMATCHED", 2),
                new ParkedRecords.Count("flow-a", ErrorKind.SKIPPABLE, "STRING_TOO_LONG", 1));
        assertThat(parked.summary(new ParkedRecords.Filter(null, null, "TOO LONG", null, null, ParkedRecords.Status.PARKED)))
                .containsExactly(new ParkedRecords.Count("flow-b", ErrorKind.SKIPPABLE, "STRING_TOO_LONG", 1));
    }

    @Test
    void syncRunsRecordCountsAndApiCalls() {
        SyncRuns runs = store().runs();
        long id = runs.start("hubspot-email-events");
        clock.advance(Duration.ofSeconds(3));
        runs.finish(id, SyncRuns.Status.SUCCEEDED, new SyncRuns.Counts(1000, 990, 10, 2, 3), null);
        long failed = runs.start("hubspot-email-events");
        runs.finish(failed, SyncRuns.Status.FAILED, SyncRuns.Counts.NONE, "boom");

        List<SyncRuns.SyncRun> recent = runs.recent("hubspot-email-events", 10);
        assertThat(recent).extracting(SyncRuns.SyncRun::id).containsExactly(failed, id);
        SyncRuns.SyncRun ok = recent.get(1);
        assertThat(ok.status()).isEqualTo(SyncRuns.Status.SUCCEEDED);
        assertThat(ok.counts()).isEqualTo(new SyncRuns.Counts(1000, 990, 10, 2, 3));
        assertThat(Duration.between(ok.startedAt(), ok.finishedAt())).isEqualTo(Duration.ofSeconds(3));
        assertThat(recent.get(0).error()).isEqualTo("boom");
    }

    @Test
    void slaClockStartsOnceStopsAtFirstActionAndReportsBreaches() {
        SlaClocks clocks = store().slaClocks();
        assertThat(clocks.start("201", "00Q000000000001AAA", "005000000000001AAA", T0, T0.plus(Duration.ofHours(4)))).isTrue();
        assertThat(clocks.start("201", "00Q000000000001AAA", "005000000000001AAA", T0.plusSeconds(9), T0.plusSeconds(99))).isFalse();
        clocks.start("202", "00Q000000000002AAA", "005000000000001AAA", T0, T0.plus(Duration.ofHours(1)));

        assertThat(clocks.overdue(T0.plus(Duration.ofHours(2)))).extracting(SlaClocks.SlaClock::hubspotContactId).containsExactly("202");
        assertThat(clocks.markBreached("202", T0.plus(Duration.ofHours(2)))).isTrue();
        assertThat(clocks.markBreached("202", T0.plus(Duration.ofHours(3)))).isFalse();
        assertThat(clocks.overdue(T0.plus(Duration.ofHours(5)))).extracting(SlaClocks.SlaClock::hubspotContactId).containsExactly("201");

        assertThat(clocks.stop("201", T0.plus(Duration.ofHours(1)), "Status changed to Working")).isTrue();
        assertThat(clocks.stop("201", T0.plus(Duration.ofHours(2)), "again")).isFalse();
        assertThat(clocks.find("201")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(SlaClocks.Status.MET);
            assertThat(c.dueAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
            assertThat(c.stopReason()).isEqualTo("Status changed to Working");
        });
        assertThat(clocks.overdue(T0.plus(Duration.ofHours(5)))).isEmpty();
        // a breached clock still records when sales finally acted, and stays BREACHED
        assertThat(clocks.stop("202", T0.plus(Duration.ofHours(6)), "Task logged")).isTrue();
        assertThat(clocks.find("202").orElseThrow().status()).isEqualTo(SlaClocks.Status.BREACHED);
    }

    @Test
    void aLaterMqlRestartsOnlyAStoppedClockAndALateActionEndsBreached() {
        SlaClocks clocks = store().slaClocks();
        clocks.start("301", "00Q000000000003AAA", "005000000000001AAA", T0, T0.plus(Duration.ofHours(4)), "Open - Not Contacted");
        assertThat(clocks.open()).extracting(SlaClocks.SlaClock::hubspotContactId).containsExactly("301");
        assertThat(clocks.find("301").orElseThrow().startStatus()).isEqualTo("Open - Not Contacted");
        // an open clock is never replaced
        assertThat(clocks.restart("301", "00Q000000000003AAA", "005000000000001AAA", T0.plusSeconds(60), T0, null)).isFalse();

        assertThat(clocks.stopLate("301", T0.plus(Duration.ofHours(5)), "Task logged")).isTrue();
        assertThat(clocks.find("301").orElseThrow().status()).isEqualTo(SlaClocks.Status.BREACHED);
        assertThat(clocks.open()).isEmpty();
        // a moment before the clock stopped is an old one; a later one starts afresh
        assertThat(clocks.restart("301", "00Q000000000003AAA", "005000000000002AAA", T0.plus(Duration.ofHours(1)), T0, null)).isFalse();
        assertThat(clocks.restart("301", "00Q000000000003AAA", "005000000000002AAA", T0.plus(Duration.ofDays(2)),
                T0.plus(Duration.ofDays(3)), "Open - Not Contacted")).isTrue();
        assertThat(clocks.find("301")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(SlaClocks.Status.RUNNING);
            assertThat(c.ownerId()).isEqualTo("005000000000002AAA");
            assertThat(c.stoppedAt()).isNull();
            assertThat(c.stopReason()).isNull();
        });
    }

    @Test
    void reopeningAMigratedDatabaseKeepsItsData() {
        store().cursors().put("s", "v1");
        StateStore again = reopen();
        try {
            assertThat(again.cursors().get("s")).contains("v1");
        } finally {
            again.close();
        }
    }

    /** Opens a second store on the same database (migrations must be a no-op the second time). */
    protected abstract StateStore reopen();
}
