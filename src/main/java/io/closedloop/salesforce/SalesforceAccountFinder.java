package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.state.DomainAccounts;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the Account of unconverted Leads by their email domain: from a Contact at that domain, else from the
 * state store's cache of recent look-ups, else by Account Website in packed SOQL (the answer, even "none", is cached).
 */
public class SalesforceAccountFinder {
    /** Free-mail domains never roll up to an account. */
    static final Set<String> FREE_MAIL = Set.of("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com",
            "live.com", "msn.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de",
            "mail.com", "yandex.com", "yandex.ru", "qq.com", "163.com", "web.de");
    /** How long a cached domain answer is trusted. */
    static final Duration CACHE_FOR = Duration.ofDays(1);

    private final SalesforceClient client;
    private final DomainAccounts cache;
    private final Clock clock;

    public SalesforceAccountFinder(SalesforceClient client, DomainAccounts cache, Clock clock) {
        this.client = client;
        this.cache = cache;
        this.clock = clock;
    }

    /** Account id by email domain, for the company domains of the resolved people. */
    public Map<String, String> accountsByDomain(SalesforceIdentityResolver.Resolution resolution) {
        Set<String> domains = new LinkedHashSet<>();
        Map<String, String> found = new HashMap<>();
        resolution.byEmail().forEach((email, t) -> {
            String domain = email.substring(email.lastIndexOf('@') + 1);
            if (FREE_MAIL.contains(domain)) {
                return;
            }
            if (t.lead()) {
                domains.add(domain);
            } else if (t.accountId() != null) {
                found.putIfAbsent(domain, t.accountId());
            }
        });
        domains.removeAll(found.keySet());
        Map<String, Optional<String>> cached = cache.find(domains, clock.instant().minus(CACHE_FOR));
        cached.forEach((d, acc) -> acc.ifPresent(a -> found.put(d, a)));
        domains.removeAll(cached.keySet());
        if (!domains.isEmpty()) {
            Map<String, String> byWebsite = accountsByWebsite(domains);
            Map<String, String> remember = new HashMap<>();
            for (String d : domains) {
                remember.put(d, byWebsite.get(d));
                if (byWebsite.get(d) != null) {
                    found.put(d, byWebsite.get(d));
                }
            }
            cache.put(remember);
        }
        return found;
    }

    private Map<String, String> accountsByWebsite(Set<String> domains) {
        List<String> clauses = domains.stream().map(d -> "Website LIKE " + SalesforceSoql.endsWith(d)).toList();
        List<String> soqls = SalesforceSoql.joined(clauses, " OR ", SalesforceSoql.MAX_IN_CLAUSE_CHARS).stream()
                .map(where -> "SELECT Id, Website FROM Account WHERE " + where + " ORDER BY CreatedDate, Id").toList();
        Map<String, String> out = new HashMap<>();
        for (List<JsonNode> rows : client.queries(soqls)) {
            for (JsonNode a : rows) {
                String host = hostOf(a.path("Website").asText(""));
                if (host != null && domains.contains(host)) {
                    out.putIfAbsent(host, a.path("Id").asText());
                }
            }
        }
        return out;
    }

    /** "https://www.acme.com/about" -> "acme.com". */
    static String hostOf(String website) {
        String w = website.trim().toLowerCase(Locale.ROOT).replaceFirst("^[a-z]+://", "");
        int slash = w.indexOf('/');
        w = slash < 0 ? w : w.substring(0, slash);
        w = w.startsWith("www.") ? w.substring(4) : w;
        return w.isEmpty() ? null : w;
    }
}
