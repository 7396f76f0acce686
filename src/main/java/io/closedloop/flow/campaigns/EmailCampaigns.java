package io.closedloop.flow.campaigns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.closedloop.core.StartFrom;
import io.closedloop.hubspot.HubSpotEmailSends;
import io.closedloop.state.ParkedRecords;
import io.closedloop.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code all-email-campaigns}: one Campaign per HubSpot marketing email, its members the recipients. Each poll reads
 * the SENT events of the window since its watermark (a 5 s overlap, a 5 s settle time) and
 * keeps every email campaign seen before, so that its members' statuses go on following their engagement. The
 * watermark moves only after every recipient of the window was written or parked.
 */
final class EmailCampaigns {
    static final String CURSOR = "salesforce-campaigns-email";
    static final Duration OVERLAP = Duration.ofSeconds(5);
    static final Duration SETTLE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Campaigns to keep this poll, and the step that moves the watermark once they are written. */
    record Read(List<CampaignSync.Target> targets, Runnable commit) {
    }

    private final HubSpotEmailSends sends;
    private final StateStore store;
    private final StartFrom startFrom;
    private final Map<Long, HubSpotEmailSends.EmailCampaign> names = new ConcurrentHashMap<>();

    EmailCampaigns(HubSpotEmailSends sends, StateStore store, StartFrom startFrom) {
        this.sends = sends;
        this.store = store;
        this.startFrom = startFrom;
    }

    Read read(Instant now) {
        Instant watermark = store.cursors().get(CURSOR).map(Instant::parse).orElseGet(() -> startFrom.from(now));
        Instant start = watermark.minus(OVERLAP);
        Instant end = now.minus(SETTLE);
        Map<Long, Map<String, Instant>> sent = new LinkedHashMap<>();
        if (end.isAfter(start)) {
            for (HubSpotEmailSends.Send s : sends.sends(start, end)) {
                sent.computeIfAbsent(s.campaignId(), k -> new HashMap<>()).merge(s.email(), s.sentAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        TreeSet<Long> ids = new TreeSet<>(sent.keySet());
        store.campaignMembers().campaignKeys("email:").forEach(k -> ids.add(Long.parseLong(k.substring("email:".length()))));
        Map<String, List<ParkedRecords.ParkedRecord>> parked = new HashMap<>();
        store.parked().list(ParkedRecords.Filter.parkedIn(CampaignSync.FLOW), Integer.MAX_VALUE).stream()
                .filter(r -> r.recordKey().startsWith("email:"))
                .forEach(r -> parked.computeIfAbsent(r.recordKey().substring(0, r.recordKey().indexOf(':', 6)), k -> new ArrayList<>()).add(r));
        List<CampaignSync.Target> targets = new ArrayList<>();
        for (long id : ids) {
            String key = "email:" + id;
            Map<String, Instant> current = new LinkedHashMap<>();
            Map<String, String> emails = new HashMap<>();
            // recipients never leave: everyone written stays, parked ones are tried again, new ones join
            store.campaignMembers().members(key).values().forEach(m -> current.put(m.personKey(), m.joinedAt()));
            for (ParkedRecords.ParkedRecord r : parked.getOrDefault(key, List.of())) {
                String email = emailOf(r.payload());
                if (email != null) {
                    current.putIfAbsent(personKey(email), r.firstSeen());
                    emails.put(personKey(email), email);
                }
            }
            Instant first = null;
            for (Map.Entry<String, Instant> e : sent.getOrDefault(id, Map.of()).entrySet()) {
                current.putIfAbsent(personKey(e.getKey()), e.getValue());
                emails.put(personKey(e.getKey()), e.getKey());
                first = first == null || e.getValue().isBefore(first) ? e.getValue() : first;
            }
            HubSpotEmailSends.EmailCampaign campaign = names.computeIfAbsent(id, sends::campaign);
            CampaignSync.Spec spec = new CampaignSync.Spec(campaign.name(), "Email", first == null ? null : first.atZone(ZoneOffset.UTC).toLocalDate(),
                    "Recipients of the HubSpot marketing email \"" + campaign.name() + "\" (" + id + ")");
            targets.add(new CampaignSync.Target(key, spec, current, keys -> {
                Map<String, String> out = new HashMap<>();
                keys.forEach(k -> {
                    if (emails.containsKey(k)) {
                        out.put(k, emails.get(k));
                    }
                });
                return out;
            }, campaign.name()));
        }
        return new Read(targets, () -> store.cursors().put(CURSOR, end.toString()));
    }

    /** A recipient's person key: the email, lower-cased (HubSpot's recipient is an address, not a contact id). */
    static String personKey(String email) {
        return email.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String emailOf(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            return node.hasNonNull("email") ? node.get("email").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
