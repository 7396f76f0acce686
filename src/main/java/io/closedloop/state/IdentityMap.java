package io.closedloop.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** HubSpot contact id to Salesforce Lead, Contact and Account ids, with the email and its domain. */
public final class IdentityMap {
    /** One mapping. A converted Lead keeps its lead id next to the Contact it became. */
    public record Identity(String hubspotContactId, String email, String emailDomain, String sfLeadId,
                           String sfContactId, String sfAccountId, Instant resolvedAt) {

        public static Identity of(String hubspotContactId, String email, String sfLeadId, String sfContactId,
                                  String sfAccountId, Instant resolvedAt) {
            String normalized = email == null ? null : email.trim().toLowerCase(Locale.ROOT);
            return new Identity(hubspotContactId, normalized, domainOf(normalized), sfLeadId, sfContactId,
                    sfAccountId, resolvedAt);
        }

        static String domainOf(String email) {
            int at = email == null ? -1 : email.lastIndexOf('@');
            return at < 0 ? null : email.substring(at + 1);
        }
    }

    private static final String COLUMNS =
            "hubspot_contact_id, email, email_domain, sf_lead_id, sf_contact_id, sf_account_id, resolved_at";

    /** An email's resolution to one Lead or Contact, as cached. */
    public record Resolved(String email, String sobject, String sfId, String sfAccountId, String ownerId, Instant lastModified) {
    }

    private final Jdbc jdbc;
    private final Clock clock;
    private final SqlStatements.Write upsert;
    private final SqlStatements.Write upsertEmail;

    IdentityMap(Jdbc jdbc, SqlStatements statements, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.upsert = statements.upsert("identity_map", List.of("hubspot_contact_id"), "hubspot_contact_id", "email",
                "email_domain", "sf_lead_id", "sf_contact_id", "sf_account_id", "resolved_at", "updated_at");
        this.upsertEmail = statements.upsert("email_identity", List.of("email"), "email", "sobject", "sf_id", "sf_account_id",
                "owner_id", "last_modified", "resolved_at");
    }

    public void putAll(java.util.Collection<Identity> ids) {
        Instant now = clock.instant();
        // one row a contact: a batch names a contact once per event, and the last mapping is the one that stays
        java.util.Map<String, Identity> last = new java.util.LinkedHashMap<>();
        ids.forEach(id -> last.put(id.hubspotContactId(), id));
        jdbc.batch(upsert, last.values().stream().map(id -> new Object[] {id.hubspotContactId(), id.email(), id.emailDomain(), id.sfLeadId(),
                id.sfContactId(), id.sfAccountId(), id.resolvedAt(), now}).toList());
    }

    /** Cached resolutions of these emails made since {@code freshSince}. */
    public java.util.Map<String, Resolved> resolved(java.util.Collection<String> emails, Instant freshSince) {
        java.util.Map<String, Resolved> out = new java.util.HashMap<>();
        for (List<String> chunk : Jdbc.inLists(emails)) {
            jdbc.query("SELECT email, sobject, sf_id, sf_account_id, owner_id, last_modified FROM email_identity WHERE email IN ("
                    + Jdbc.marks(chunk.size()) + ") AND resolved_at >= ?", rs -> {
                        Resolved r = new Resolved(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                Jdbc.instant(rs, "last_modified"));
                        out.put(r.email(), r);
                        return r;
                    }, Jdbc.params(chunk, freshSince));
        }
        return out;
    }

    public void rememberResolved(java.util.Collection<Resolved> resolved) {
        Instant now = clock.instant();
        jdbc.batch(upsertEmail, resolved.stream().map(r -> new Object[] {r.email(), r.sobject(), r.sfId(), r.sfAccountId(), r.ownerId(),
                r.lastModified(), now}).toList());
    }

    /** Drops cached resolutions, e.g. when Salesforce says the record is gone or converted. */
    public void forgetResolved(java.util.Collection<String> emails) {
        jdbc.batch("DELETE FROM email_identity WHERE email = ?", emails.stream().map(e -> new Object[] {e}).toList());
    }

    public void put(Identity id) {
        jdbc.update(upsert, id.hubspotContactId(), id.email(), id.emailDomain(), id.sfLeadId(), id.sfContactId(),
                id.sfAccountId(), id.resolvedAt(), clock.instant());
    }

    public Optional<Identity> byContactId(String hubspotContactId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM identity_map WHERE hubspot_contact_id = ?", IdentityMap::map,
                hubspotContactId);
    }

    public List<Identity> byEmail(String email) {
        return jdbc.query("SELECT " + COLUMNS + " FROM identity_map WHERE email = ? ORDER BY hubspot_contact_id",
                IdentityMap::map, email.trim().toLowerCase(Locale.ROOT));
    }

    public List<Identity> byDomain(String domain) {
        return jdbc.query("SELECT " + COLUMNS + " FROM identity_map WHERE email_domain = ? ORDER BY hubspot_contact_id",
                IdentityMap::map, domain.toLowerCase(Locale.ROOT));
    }

    /** The mappings that point at a Salesforce record, whichever kind the id is. */
    public List<Identity> bySalesforceId(String sfId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM identity_map WHERE sf_lead_id = ? OR sf_contact_id = ? "
                + "OR sf_account_id = ? ORDER BY hubspot_contact_id", IdentityMap::map, sfId, sfId, sfId);
    }

    private static Identity map(ResultSet rs) throws SQLException {
        return new Identity(rs.getString("hubspot_contact_id"), rs.getString("email"), rs.getString("email_domain"),
                rs.getString("sf_lead_id"), rs.getString("sf_contact_id"), rs.getString("sf_account_id"),
                Jdbc.instant(rs, "resolved_at"));
    }
}
