package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.config.ClosedloopSettings.DuplicatePolicy;
import io.closedloop.state.IdentityMap;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the Salesforce person behind each email: the Contact, or the unconverted Lead, in batched SOQL
 * (escaped, IN lists chunked by length, five queries per API call). When several records share an email
 * the configured policy decides, never an arbitrary pick.
 */
public class SalesforceIdentityResolver {
    /** A Lead or Contact, with the fields the flow reads. */
    public record Target(String sobject, String id, String accountId, String ownerId, Instant lastModified,
                         Map<String, JsonNode> fields) {
        public boolean lead() {
            return "Lead".equals(sobject);
        }
    }

    /** Resolved emails, emails that matched several records under the PARK policy, and emails nobody has. */
    public record Resolution(Map<String, Target> byEmail, Map<String, List<Target>> duplicates, Set<String> unmatched,
                             Set<String> invalid) {
        /** Null if the email resolved to one Lead or Contact, else "CODE: reason" (invalid, shared by several, no one yet). */
        public String unresolved(String email) {
            if (email == null || invalid.contains(email) || !validEmail(email)) {
                return "INVALID_EMAIL: the event has no valid email address, so no Salesforce record can be matched";
            }
            if (duplicates.containsKey(email)) {
                return "DUPLICATE_EMAIL: several Salesforce records share this email: "
                        + duplicates.get(email).stream().map(t -> t.sobject() + " " + t.id()).collect(java.util.stream.Collectors.joining(", "));
            }
            if (!byEmail.containsKey(email)) {
                return io.closedloop.state.ParkedRecords.UNMATCHED + ": no Salesforce Lead or Contact has this email yet";
            }
            return null;
        }
    }

    /** Deliberately loose: one @, something before it, a dotted domain after it, no spaces or quotes that break mail. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s\"<>()\\[\\],;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");

    private final SalesforceClient client;
    private final boolean preferContact;
    private final DuplicatePolicy policy;
    private final IdentityMap cache;
    private final Clock clock;
    private final Duration cacheFor;

    public SalesforceIdentityResolver(SalesforceClient client, boolean preferContact, DuplicatePolicy policy) {
        this(client, preferContact, policy, null, null, Duration.ZERO);
    }

    /** With a cache: an email resolved less than {@code cacheFor} ago is not looked up again. */
    public SalesforceIdentityResolver(SalesforceClient client, boolean preferContact, DuplicatePolicy policy,
                                      IdentityMap cache, Clock clock, Duration cacheFor) {
        this.client = client;
        this.preferContact = preferContact;
        this.policy = policy;
        this.cache = cache;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /** Forgets cached resolutions that Salesforce has shown to be stale. */
    public void forget(Collection<String> emails) {
        if (cache != null && !emails.isEmpty()) {
            cache.forgetResolved(emails);
        }
    }

    public static boolean validEmail(String email) {
        return email != null && email.length() <= 254 && EMAIL.matcher(email).matches();
    }

    /** @param extraFields summary fields whose current values the caller needs (for "only if blank" rules) */
    public Resolution resolve(Collection<String> emails, Collection<String> extraFields) {
        Set<String> invalid = new LinkedHashSet<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String e : emails) {
            String email = e == null ? null : e.trim().toLowerCase(Locale.ROOT);
            if (validEmail(email)) {
                wanted.add(email);
            } else {
                invalid.add(e);
            }
        }
        // the cache holds no extra fields, so a caller that needs them always asks Salesforce
        boolean cached = cache != null && extraFields.isEmpty() && !cacheFor.isZero();
        Map<String, Target> hits = new LinkedHashMap<>();
        if (cached && !wanted.isEmpty()) {
            cache.resolved(wanted, clock.instant().minus(cacheFor)).forEach((email, r) ->
                    hits.put(email, new Target(r.sobject(), r.sfId(), r.sfAccountId(), r.ownerId(), r.lastModified(), Map.of())));
            wanted.removeAll(hits.keySet());
        }
        String extra = extraFields.isEmpty() ? "" : ", " + String.join(", ", new LinkedHashSet<>(extraFields));
        List<String> soqls = new ArrayList<>();
        List<String> chunks = SalesforceSoql.inLists(wanted, SalesforceSoql.MAX_IN_CLAUSE_CHARS);
        for (String in : chunks) {
            soqls.add("SELECT Id, Email, AccountId, OwnerId, LastModifiedDate" + extra + " FROM Contact WHERE Email IN (" + in + ")");
            soqls.add("SELECT Id, Email, OwnerId, LastModifiedDate" + extra + " FROM Lead WHERE IsConverted = false AND Email IN (" + in + ")");
        }
        Map<String, List<Target>> candidates = new HashMap<>();
        List<List<JsonNode>> results = soqls.isEmpty() ? List.of() : client.queries(soqls);
        for (int i = 0; i < results.size(); i++) {
            String sobject = i % 2 == 0 ? "Contact" : "Lead";
            for (JsonNode r : results.get(i)) {
                String email = r.path("Email").asText("").toLowerCase(Locale.ROOT);
                Map<String, JsonNode> fields = new LinkedHashMap<>();
                extraFields.forEach(f -> fields.put(f, r.get(f)));
                candidates.computeIfAbsent(email, k -> new ArrayList<>()).add(new Target(sobject, r.path("Id").asText(),
                        text(r, "AccountId"), text(r, "OwnerId"), SalesforceDateTimes.parse(text(r, "LastModifiedDate")), fields));
            }
        }
        Map<String, Target> byEmail = new LinkedHashMap<>();
        Map<String, List<Target>> duplicates = new LinkedHashMap<>();
        Set<String> unmatched = new LinkedHashSet<>();
        for (String email : wanted) {
            List<Target> found = candidates.getOrDefault(email, List.of());
            if (found.isEmpty()) {
                unmatched.add(email);
                continue;
            }
            List<Target> pool = found;
            if (preferContact && found.stream().anyMatch(t -> !t.lead())) {
                pool = found.stream().filter(t -> !t.lead()).toList();
            }
            if (pool.size() > 1 && policy == DuplicatePolicy.PARK) {
                duplicates.put(email, pool);
                continue;
            }
            byEmail.put(email, pick(pool));
        }
        if (cached && !byEmail.isEmpty()) {
            cache.rememberResolved(byEmail.entrySet().stream().map(e -> new IdentityMap.Resolved(e.getKey(), e.getValue().sobject(),
                    e.getValue().id(), e.getValue().accountId(), e.getValue().ownerId(), e.getValue().lastModified())).toList());
        }
        byEmail.putAll(hits);
        return new Resolution(byEmail, duplicates, unmatched, invalid);
    }

    private Target pick(List<Target> pool) {
        // ties broken by id, so the same data always gives the same answer
        Comparator<Target> byAge = Comparator.comparing((Target t) -> t.lastModified() == null ? Instant.EPOCH : t.lastModified())
                .thenComparing(Target::id);
        return policy == DuplicatePolicy.OLDEST ? pool.stream().min(byAge).orElseThrow() : pool.stream().max(byAge).orElseThrow();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
