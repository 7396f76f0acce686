package io.closedloop.sandbox.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/** {@code POST /crm/v3/objects/contacts/search} (§4): OR of ANDed filters, one sort, offset paging up to the result cap. */
final class HubSpotSearchHandler {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 200;
    static final int MAX_QUERY_CHARS = 3000;

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;
    private volatile int resultCap;
    // current doc values (§4); the sources disagree, so they stay adjustable
    private volatile int maxGroups = 5;
    private volatile int maxFiltersPerGroup = 6;
    private volatile int maxFiltersTotal = 18;
    // ISO datetime filter values are UNCONFIRMED (§4, §13.10): off by default so a client relying on them is caught
    private volatile boolean acceptIsoDatetimes = false;

    HubSpotSearchHandler(HubSpotPortal portal, HubSpotErrors errors, int resultCap) {
        this.portal = portal;
        this.errors = errors;
        this.resultCap = resultCap;
    }

    void resultCap(int cap) {
        this.resultCap = cap;
    }

    void filterLimits(int groups, int perGroup, int total) {
        this.maxGroups = groups;
        this.maxFiltersPerGroup = perGroup;
        this.maxFiltersTotal = total;
    }

    void acceptIsoDatetimes(boolean accept) {
        this.acceptIsoDatetimes = accept;
    }

    EmulatorResponse search(EmulatorRequest request, Matcher path) {
        JsonNode body = HubSpotJson.body(request.body(), errors);
        Map<String, Map<String, Object>> definitions = portal.properties();
        Predicate<HubSpotContact> match = filterGroups(body, definitions);

        String query = HubSpotJson.text(HubSpotJson.path(body, "query"));
        if (query != null && query.length() > MAX_QUERY_CHARS) {
            throw errors.validation("query must be at most " + MAX_QUERY_CHARS + " characters");
        }
        JsonNode limitNode = HubSpotJson.path(body, "limit");
        int limit = limitNode.isMissingNode() ? DEFAULT_LIMIT : limitNode.asInt(-1);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw errors.validation("limit must be between 1 and " + MAX_LIMIT + ", got " + HubSpotJson.text(limitNode));
        }
        int after = after(HubSpotJson.text(HubSpotJson.path(body, "after")));
        if ((long) after + limit > resultCap) {
            throw errors.validation("Paging beyond " + resultCap + " results is not supported: after (" + after + ") + limit ("
                    + limit + ") exceeds the cap");
        }
        List<String> properties = new ArrayList<>();
        HubSpotJson.path(body, "properties").forEach(p -> properties.add(HubSpotJson.text(p)));

        List<HubSpotContact> hits = new ArrayList<>();
        String q = query == null || query.isBlank() ? null : query.toLowerCase(java.util.Locale.ROOT);
        for (HubSpotContact c : portal.searchable()) {
            if (match.test(c) && (q == null || matchesQuery(c, q))) {
                hits.add(c);
            }
        }
        hits.sort(sort(HubSpotJson.path(body, "sorts"), definitions));

        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = after; i < Math.min(hits.size(), after + limit); i++) {
            results.add(HubSpotObjects.contact(hits.get(i), properties));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", hits.size());
        out.put("results", results);
        if (after + limit < hits.size()) {
            String next = Integer.toString(after + limit);
            out.put("paging", HubSpotJson.obj("next", HubSpotJson.obj("after", next, "link", "?after=" + next)));
        }
        return EmulatorResponse.json(200, out);
    }

    private Predicate<HubSpotContact> filterGroups(JsonNode body, Map<String, Map<String, Object>> definitions) {
        JsonNode groups = HubSpotJson.path(body, "filterGroups");
        if (groups.size() > maxGroups) {
            throw errors.validation("Too many filter groups: " + groups.size() + " (maximum " + maxGroups + ")");
        }
        int total = 0;
        List<List<HubSpotSearchFilter>> compiled = new ArrayList<>();
        for (JsonNode group : groups) {
            JsonNode filters = HubSpotJson.path(group, "filters");
            if (filters.size() > maxFiltersPerGroup) {
                throw errors.validation("Too many filters in a group: " + filters.size() + " (maximum " + maxFiltersPerGroup + ")");
            }
            total += filters.size();
            List<HubSpotSearchFilter> and = new ArrayList<>();
            for (JsonNode f : filters) {
                and.add(HubSpotSearchFilter.parse(f, definitions, acceptIsoDatetimes, errors::validation));
            }
            compiled.add(and);
        }
        if (total > maxFiltersTotal) {
            throw errors.validation("Too many filters: " + total + " (maximum " + maxFiltersTotal + " across all groups)");
        }
        if (compiled.isEmpty()) {
            return c -> true;
        }
        return c -> compiled.stream().anyMatch(and -> and.stream().allMatch(f -> f.test(c)));
    }

    private int after(String raw) {
        if (raw == null || raw.isEmpty()) {
            return 0;
        }
        try {
            int after = Integer.parseInt(raw.trim());
            if (after < 0) {
                throw new NumberFormatException();
            }
            return after;
        } catch (NumberFormatException e) {
            throw errors.validation("after must be a non-negative integer formatted as a string, got '" + raw + "'");
        }
    }

    /** Only the first sort applies (§4); with none, oldest created first. Missing values sort last; ids break ties. */
    private Comparator<HubSpotContact> sort(JsonNode sorts, Map<String, Map<String, Object>> definitions) {
        Comparator<HubSpotContact> byId = Comparator.comparingLong(HubSpotContact::id);
        if (sorts.size() == 0) {
            return Comparator.comparing(HubSpotContact::createdAt).thenComparing(byId);
        }
        JsonNode first = sorts.get(0);
        String property;
        boolean descending;
        if (first.isTextual()) {
            // the spec types sorts as string[]: accept a bare name, '-' prefix for descending
            String text = first.asText();
            descending = text.startsWith("-");
            property = descending ? text.substring(1) : text;
        } else {
            property = HubSpotJson.text(HubSpotJson.path(first, "propertyName"));
            descending = "DESCENDING".equals(HubSpotJson.text(HubSpotJson.path(first, "direction")));
        }
        if (property == null) {
            throw errors.validation("A sort needs propertyName");
        }
        HubSpotSearchFilter.Kind kind = HubSpotSearchFilter.kindOf(definitions.get(property));
        Comparator<String> values = (a, b) -> {
            Integer c = HubSpotSearchFilter.compare(a, b, kind);
            return c == null ? a.compareTo(b) : Integer.signum(c);
        };
        if (descending) {
            values = values.reversed();
        }
        Comparator<String> valuesFinal = values;
        Comparator<HubSpotContact> byValue = (x, y) -> {
            String a = x.get(property);
            String b = y.get(property);
            if (a == null || b == null) {
                return a == null ? (b == null ? 0 : 1) : -1;
            }
            return valuesFinal.compare(a, b);
        };
        return byValue.thenComparing(byId);
    }

    /** The free-text query is a case-insensitive substring of one of the default searchable properties. */
    private static boolean matchesQuery(HubSpotContact c, String q) {
        for (String p : List.of("email", "firstname", "lastname", "company", "phone")) {
            String v = c.get(p);
            if (v != null && v.toLowerCase(java.util.Locale.ROOT).contains(q)) {
                return true;
            }
        }
        return false;
    }
}
