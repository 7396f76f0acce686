package io.closedloop.sandbox.world;

import io.closedloop.sandbox.hubspot.HubSpotPortal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A simulated marketing team keeping its side of the agreement: it watches HubSpot for leads sales handed back
 * (marketing_sla_status pending or breached) and, after a while, adds most to the nurture list, moves some to another
 * lifecycle stage, and lets a few sit so the reverse SLA breaches. Each contact's fate is a pure function of the seed
 * and the contact id.
 */
public final class MarketingTeamSimulator {
    public enum Fate { NURTURE_LIST, LIFECYCLE, SIT }

    /** Shares of each fate, and how long after first seeing a handed-back lead marketing acts. */
    public record Config(double nurtureList, double lifecycle, Duration minDelay, Duration maxDelay) {
        public static Config defaults() {
            return new Config(0.7, 0.15, Duration.ofSeconds(10), Duration.ofSeconds(50));
        }
    }

    public record Counts(int nurtured, int restaged, int leftSitting) {
    }

    static final String STATUS = "marketing_sla_status";
    /** Where marketing parks a lead it will only keep in the newsletter. */
    static final String SUBSCRIBER = "subscriber";

    private final HubSpotPortal portal;
    private final Clock clock;
    private final long seed;
    private final String nurtureListId;
    private final Config config;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final Map<String, Fate> done = new ConcurrentHashMap<>();

    public MarketingTeamSimulator(HubSpotPortal portal, Clock clock, long seed, String nurtureListId, Config config) {
        this.portal = portal;
        this.clock = clock;
        this.seed = seed;
        this.nurtureListId = nurtureListId;
        this.config = config;
    }

    public Fate fateOf(String contactId) {
        double draw = rng(contactId).nextDouble();
        if (draw < config.nurtureList()) {
            return Fate.NURTURE_LIST;
        }
        return draw < config.nurtureList() + config.lifecycle() ? Fate.LIFECYCLE : Fate.SIT;
    }

    /** One pass over the contacts HubSpot shows as handed back; acts on those whose time has come. */
    public synchronized Counts work() {
        Instant now = clock.instant();
        for (Map<String, String> c : portal.contacts()) {
            String status = c.get(STATUS);
            String id = c.get("hs_object_id");
            if (id == null || done.containsKey(id) || !("pending".equals(status) || "breached".equals(status))) {
                continue;
            }
            Instant first = seen.computeIfAbsent(id, k -> now);
            Fate fate = fateOf(id);
            if (fate == Fate.SIT) {
                done.put(id, fate);
            } else if (!now.isBefore(first.plus(delay(id)))) {
                if (fate == Fate.NURTURE_LIST) {
                    portal.addListMember(nurtureListId, id, now);
                } else {
                    portal.updateContact(id, Map.of("lifecyclestage", SUBSCRIBER));
                }
                done.put(id, fate);
            }
        }
        return counts();
    }

    public Counts counts() {
        int[] n = new int[3];
        done.values().forEach(f -> n[f.ordinal()]++);
        return new Counts(n[0], n[1], n[2]);
    }

    private Duration delay(String id) {
        long span = Math.max(1, config.maxDelay().toMillis() - config.minDelay().toMillis());
        return config.minDelay().plusMillis(rng(id + "/delay").nextLong(span));
    }

    private SplittableRandom rng(String key) {
        return new SplittableRandom(seed * 17 + key.hashCode());
    }
}
