package io.closedloop.sandbox.world;

import io.closedloop.sandbox.salesforce.SalesforceOrg;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A simulated sales team working the MQLs in Salesforce: it accepts some, rejects some with a reason and a
 * specific detail, hands some of those back to marketing (recycled, or rejected for Timing where the org has no
 * recycle status), converts some (with an opportunity it later wins or loses), and lets some sit past the
 * SLA. Each lead's fate is a pure function of the seed and the lead id, and every step is read back from
 * Salesforce, so the team behaves the same across restarts.
 */
public final class SalesTeamSimulator {
    public enum Fate { ACCEPT, REJECT, CONVERT, IGNORE }

    /** The rejection reason that hands a lead back to marketing in an org without a recycle status. */
    public static final String TIMING = "Timing";

    /** Shares of each fate, and how long after the MQL moment (or opportunity creation) sales acts. */
    public record Config(double accept, double reject, double convert, Duration minDelay, Duration maxDelay, double winRate) {
        public static Config defaults() {
            return new Config(0.35, 0.30, 0.20, Duration.ofSeconds(5), Duration.ofSeconds(60), 0.5);
        }
    }

    /** {@code recycled}: leads handed back to marketing, by the recycle status or (then also rejected) for Timing. */
    public record Counts(int accepted, int rejected, int converted, int won, int lost, int recycled) {
    }

    /** Share of the rejected leads sales hands back to marketing instead. */
    static final double RECYCLE_SHARE = 0.3;



    private final SalesforceOrg org;
    private final Clock clock;
    private final long seed;
    private final Config config;
    private int accepted;
    private int rejected;
    private int converted;
    private int won;
    private int lost;
    private int recycled;

    public SalesTeamSimulator(SalesforceOrg org, Clock clock, long seed, Config config) {
        this.org = org;
        this.clock = clock;
        this.seed = seed;
        this.config = config;
    }

    /** The fate sales has in store for this lead. */
    public Fate fateOf(String leadId) {
        double draw = rng(leadId).nextDouble();
        if (draw < config.accept()) {
            return Fate.ACCEPT;
        }
        if (draw < config.accept() + config.reject()) {
            return Fate.REJECT;
        }
        return draw < config.accept() + config.reject() + config.convert() ? Fate.CONVERT : Fate.IGNORE;
    }

    /** One pass over the open MQLs and open opportunities; acts on those whose time has come. */
    public synchronized Counts work() {
        Instant now = clock.instant();
        for (Map<String, Object> lead : org.query("SELECT Id, MQL_At__c, OwnerId FROM Lead WHERE MQL_At__c != null "
                + "AND IsConverted = false AND Status = '" + org.profile().newStatus().replace("'", "\\'") + "'")) {
            String id = (String) lead.get("Id");
            Instant mqlAt = (Instant) lead.get("MQL_At__c");
            if (now.isBefore(mqlAt.plus(delay(id)))) {
                continue;
            }
            act(id, fateOf(id));
        }
        for (Map<String, Object> opp : org.query("SELECT Id, CreatedDate FROM Opportunity WHERE IsClosed = false")) {
            String id = (String) opp.get("Id");
            if (!now.isBefore(((Instant) opp.get("CreatedDate")).plus(delay(id)))) {
                close(id);
            }
        }
        return counts();
    }

    public synchronized Counts counts() {
        return new Counts(accepted, rejected, converted, won, lost, recycled);
    }

    private void act(String leadId, Fate fate) {
        switch (fate) {
            case ACCEPT -> {
                org.update("Lead", leadId, Map.of("Status", org.profile().workingStatus()));
                accepted++;
            }
            case REJECT -> {
                if (rng(leadId + "/recycle").nextDouble() < RECYCLE_SHARE && handBack(leadId)) {
                    recycled++;
                    return;
                }
                SplittableRandom r = rng(leadId + "/reason");
                List<String> reasons = org.profile().reasons();
                String reason = reasons.get(r.nextInt(reasons.size()));
                List<String> details = org.profile().rejections().get(reason);
                org.update("Lead", leadId, Map.of("Status", org.profile().rejectedStatus(), "Rejection_Reason__c", reason,
                        "Rejection_Detail__c", details.get(r.nextInt(details.size()))));
                rejected++;
            }
            case CONVERT -> {
                Map<String, Object> lead = org.get("Lead", leadId);
                String accountId = accountFor((String) lead.get("Company"));
                SalesforceOrg.ConvertResult result = org.convertLead(leadId, accountId, true);
                if (result.opportunityId() != null) {
                    Map<String, Object> opp = new HashMap<>();
                    List<Map<String, Object>> campaigns = org.query("SELECT Id FROM Campaign ORDER BY Name");
                    if (!campaigns.isEmpty()) {
                        opp.put("CampaignId", campaigns.get(rng(leadId + "/campaign").nextInt(campaigns.size())).get("Id"));
                    }
                    opp.put("Amount", BigDecimal.valueOf(5_000L + rng(leadId + "/amount").nextInt(115) * 1_000L));
                    org.update("Opportunity", result.opportunityId(), opp);
                    if (org.query("SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '" + result.opportunityId() + "'").isEmpty()) {
                        org.insert("OpportunityContactRole", Map.of("OpportunityId", result.opportunityId(),
                                "ContactId", result.contactId(), "Role", "Decision Maker", "IsPrimary", true));
                    }
                }
                converted++;
            }
            case IGNORE -> {
                // sits past the SLA on purpose
            }
            default -> throw new IllegalStateException(fate.name());
        }
    }

    /** Back to marketing: the org's recycle status, or a rejection for Timing (still counted as a rejection); false if neither. */
    private boolean handBack(String leadId) {
        String status = org.profile().recycledStatus();
        if (status != null) {
            org.update("Lead", leadId, Map.of("Status", status));
            return true;
        }
        List<String> timing = org.profile().rejections().get(TIMING);
        if (timing == null) {
            return false;
        }
        rejected++;
        org.update("Lead", leadId, Map.of("Status", org.profile().rejectedStatus(), "Rejection_Reason__c", TIMING,
                "Rejection_Detail__c", timing.get(rng(leadId + "/timing").nextInt(timing.size()))));
        return true;
    }

    private void close(String opportunityId) {
        boolean win = rng(opportunityId + "/win").nextDouble() < config.winRate();
        org.update("Opportunity", opportunityId, Map.of("StageName", win ? "Closed Won" : "Closed Lost",
                "CloseDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)));
        if (win) {
            won++;
        } else {
            lost++;
        }
    }

    private String accountFor(String company) {
        if (company == null) {
            return null;
        }
        List<Map<String, Object>> accounts = org.query("SELECT Id FROM Account WHERE Name = '"
                + company.replace("\\", "\\\\").replace("'", "\\'") + "' ORDER BY CreatedDate LIMIT 1");
        return accounts.isEmpty() ? null : (String) accounts.get(0).get("Id");
    }

    private Duration delay(String id) {
        long span = Math.max(1, config.maxDelay().toMillis() - config.minDelay().toMillis());
        return config.minDelay().plusMillis(rng(id + "/delay").nextLong(span));
    }

    private SplittableRandom rng(String key) {
        return new SplittableRandom(seed * 31 + key.hashCode());
    }
}
