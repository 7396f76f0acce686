package io.closedloop.sandbox.world;

import io.closedloop.sandbox.hubspot.EmailEvent;
import io.closedloop.sandbox.hubspot.HubSpotPortal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Keeps prospects doing things in the simulated HubSpot: email sends, opens and clicks, bounces,
 * unsubscribes and spam reports, form submissions, page visits, score changes (crossing the MQL threshold
 * moves the lifecycle stage) and list joins. Seeded, so the same ticks produce the same engagement.
 */
public final class EngagementGenerator {
    public enum Kind { EMAIL_SENT, EMAIL_DELIVERED, EMAIL_OPEN, EMAIL_CLICK, EMAIL_BOUNCE, EMAIL_UNSUBSCRIBE,
        EMAIL_SPAM_REPORT, FORM_SUBMISSION, PAGE_VISIT, SCORE_CHANGE, LIST_JOIN }

    /** Relative weights: opens and clicks dominate, as they do in real email programs. */
    private static final Map<Kind, Integer> WEIGHTS = new EnumMap<>(Map.ofEntries(
            Map.entry(Kind.EMAIL_SENT, 22), Map.entry(Kind.EMAIL_DELIVERED, 18), Map.entry(Kind.EMAIL_OPEN, 22),
            Map.entry(Kind.EMAIL_CLICK, 12), Map.entry(Kind.EMAIL_BOUNCE, 1), Map.entry(Kind.EMAIL_UNSUBSCRIBE, 1),
            Map.entry(Kind.EMAIL_SPAM_REPORT, 1), Map.entry(Kind.FORM_SUBMISSION, 7), Map.entry(Kind.PAGE_VISIT, 10),
            Map.entry(Kind.SCORE_CHANGE, 4), Map.entry(Kind.LIST_JOIN, 2)));
    private static final int TOTAL_WEIGHT = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
    private static final String[] PAGES = {"/pricing", "/product/roll-ups", "/customers", "/blog/closing-the-loop", "/demo"};

    private final World world;
    private final HubSpotPortal portal;
    private final Random random;
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);

    public EngagementGenerator(World world, HubSpotPortal portal, long seed) {
        this.world = world;
        this.portal = portal;
        this.random = new Random(seed);
        for (Kind k : Kind.values()) {
            counts.put(k, 0L);
        }
    }

    /** Generates {@code n} pieces of engagement that happened at (or a few seconds before) {@code now}. */
    public synchronized Map<Kind, Long> generate(Instant now, int n) {
        Map<Kind, Long> made = new EnumMap<>(Kind.class);
        for (int i = 0; i < n; i++) {
            Kind kind = pick();
            World.Person person = world.people().get(random.nextInt(world.people().size()));
            // a little jitter: real events are indexed a few seconds after they happen
            long at = now.toEpochMilli() - random.nextInt(3000);
            apply(kind, person, at);
            made.merge(kind, 1L, Long::sum);
            counts.merge(kind, 1L, Long::sum);
        }
        return made;
    }

    /** Everything generated so far, by kind. */
    public synchronized Map<Kind, Long> totals() {
        return new EnumMap<>(counts);
    }

    private Kind pick() {
        int draw = random.nextInt(TOTAL_WEIGHT);
        for (Map.Entry<Kind, Integer> e : WEIGHTS.entrySet()) {
            draw -= e.getValue();
            if (draw < 0) {
                return e.getKey();
            }
        }
        return Kind.EMAIL_OPEN;
    }

    private void apply(Kind kind, World.Person person, long at) {
        World.Campaign campaign = world.campaigns().get(random.nextInt(world.campaigns().size()));
        switch (kind) {
            case EMAIL_SENT -> email("SENT", person, campaign, at, Map.of("subject", campaign.subject(),
                    "from", "marketing@closedloop.example"));
            case EMAIL_DELIVERED -> email("DELIVERED", person, campaign, at, Map.of("response", "250 OK", "smtpId", uuid()));
            case EMAIL_OPEN -> email("OPEN", person, campaign, at, Map.of("duration", 1000 + random.nextInt(20000),
                    "deviceType", random.nextBoolean() ? "COMPUTER" : "MOBILE", "filteredEvent", false));
            case EMAIL_CLICK -> email("CLICK", person, campaign, at, Map.of(
                    "url", "https://www.closedloop.example" + PAGES[random.nextInt(PAGES.length)] + "?utm_source=hs_email",
                    "deviceType", "COMPUTER", "filteredEvent", false));
            case EMAIL_BOUNCE -> email("BOUNCE", person, campaign, at, Map.of("category", "HARD_BOUNCE",
                    "response", "550 5.1.1 mailbox unavailable", "status", "5.1.1"));
            case EMAIL_UNSUBSCRIBE -> email("STATUSCHANGE", person, campaign, at, Map.of("source", "SOURCE_RECIPIENT",
                    "portalSubscriptionStatus", "UNSUBSCRIBED", "subscriptions", List.of()));
            case EMAIL_SPAM_REPORT -> email("SPAMREPORT", person, campaign, at, Map.of());
            case FORM_SUBMISSION -> {
                World.Form form = world.forms().get(random.nextInt(world.forms().size()));
                Map<String, String> values = new LinkedHashMap<>();
                values.put("email", person.email());
                values.put("firstname", person.firstName());
                values.put("lastname", person.lastName());
                values.put("company", person.company().name());
                // the portal stamps the contact's recent conversion, as HubSpot does
                portal.addFormSubmission(form.guid(), at, form.pageUrl(), values);
                addScore(person, 10);
            }
            case PAGE_VISIT -> {
                Map<String, String> contact = portal.contact(person.hubspotContactId());
                int views = parseInt(contact.get("hs_analytics_num_page_views")) + 1;
                portal.updateContact(person.hubspotContactId(), Map.of(
                        "hs_analytics_num_page_views", Integer.toString(views),
                        "hs_analytics_last_url", "https://www.closedloop.example" + PAGES[random.nextInt(PAGES.length)],
                        "hs_analytics_last_visit_timestamp", Instant.ofEpochMilli(at).toString()));
            }
            case SCORE_CHANGE -> addScore(person, 5 + random.nextInt(16));
            case LIST_JOIN -> {
                World.MarketingList list = world.lists().get(random.nextInt(world.lists().size()));
                portal.addListMember(list.id(), person.hubspotContactId(), Instant.ofEpochMilli(at));
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private void email(String type, World.Person person, World.Campaign campaign, long at, Map<String, Object> extras) {
        portal.addEmailEvent(new EmailEvent(uuid(), at, type, person.email(), campaign.id(), extras));
    }

    /** Raises the HubSpot score; crossing the threshold is the MQL moment. */
    private void addScore(World.Person person, int points) {
        Map<String, String> contact = portal.contact(person.hubspotContactId());
        int score = parseInt(contact.get("hubspotscore")) + points;
        Map<String, String> update = new LinkedHashMap<>();
        update.put("hubspotscore", Integer.toString(score));
        if (score >= WorldSeeder.MQL_SCORE && !WorldSeeder.MQL_STAGE.equals(contact.get("lifecyclestage"))
                && !"customer".equals(contact.get("lifecyclestage")) && !"opportunity".equals(contact.get("lifecyclestage"))) {
            update.put("lifecyclestage", WorldSeeder.MQL_STAGE);
        }
        portal.updateContact(person.hubspotContactId(), update);
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static int parseInt(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
