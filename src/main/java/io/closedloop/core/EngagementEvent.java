package io.closedloop.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a prospect did, whatever HubSpot source it came from. The id is derived from the source's own
 * identity, so reading the same event twice yields the same id: the upsert key and the ledger key.
 */
public record EngagementEvent(String id, Source source, ActivityType type, Instant occurredAt, String email,
                              String hubspotContactId, String assetName, String url, String campaign,
                              Map<String, String> details) {
    /** The detail that marks a moment found at a source's first poll (it happened before), not seen as it happened. */
    public static final String CATCH_UP = "catch-up";


    /** Where the event was read; the labels are the values of Marketing_Activity__c.Source__c. */
    public enum Source {
        EMAIL("HubSpot Email"), FORM("HubSpot Form"), CRM("HubSpot CRM"), LIST("HubSpot List");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Longest id the external id field takes (Closedloop_Event_Id__c is Text(200)). */
    public static final int MAX_ID = 200;

    public EngagementEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        email = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
        details = details == null ? Map.of() : Map.copyOf(details);
        if (id.length() > MAX_ID) {
            throw new IllegalArgumentException("event id longer than " + MAX_ID + " characters");
        }
    }

    /** A stable id from the parts that identify the event at its source; hashed when the parts are long. */
    public static String idOf(String prefix, String... parts) {
        String joined = prefix + ":" + String.join(":", parts);
        if (joined.length() <= MAX_ID) {
            return joined;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return prefix + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The email's domain, lower case, or null. */
    public String emailDomain() {
        int at = email == null ? -1 : email.lastIndexOf('@');
        return at < 0 ? null : email.substring(at + 1);
    }
}
