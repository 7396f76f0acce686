package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.http.EmulatorException;
import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import io.closedloop.sandbox.http.EmulatorServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /composite} (reference §4): up to 25 subrequests (at most 5 queries or collections), run in order,
 * with {@code @{ref.path}} references; always HTTP 200 at the top level.
 */
final class SalesforceCompositeHandler {
    private static final int MAX_SUBREQUESTS = 25;
    private static final int MAX_QUERIES_OR_COLLECTIONS = 5;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+])*)}");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]");
    private static final Set<String> INHERITED_HEADERS = Set.of("accept", "authorization", "content-type");
    private static final String HALTED = "The transaction was rolled back since another operation in the same transaction"
            + " failed.";

    /** A reference that cannot be resolved halts its subrequest. */
    private static final class UnresolvedReference extends RuntimeException {
        UnresolvedReference(String message) {
            super(message);
        }
    }

    private final SalesforceOrg org;
    private final SalesforceApiRoutes routes;
    private final java.util.concurrent.ConcurrentHashMap<String, Long> subrequests = new java.util.concurrent.ConcurrentHashMap<>();

    SalesforceCompositeHandler(SalesforceOrg org, SalesforceApiRoutes routes) {
        this.org = org;
        this.routes = routes;
    }

    /** Subrequests answered so far, by endpoint name plus the path group after the API version (the sObject of an upsert). */
    Map<String, Long> subrequests() {
        return new java.util.TreeMap<>(subrequests);
    }

    @SuppressWarnings("unchecked")
    EmulatorResponse composite(EmulatorRequest request, Matcher path) {
        Map<String, Object> body = SalesforceErrors.readObject(request.body());
        if (!(body.get("compositeRequest") instanceof List<?> subs) || subs.isEmpty()) {
            throw SalesforceErrors.fail(400, "INVALID_API_INPUT", "compositeRequest is required and must not be empty");
        }
        // the 25 / 5 limits are UNCONFIRMED from the primary text (reference §4); the error code here is illustrative
        if (subs.size() > MAX_SUBREQUESTS) {
            throw SalesforceErrors.fail(400, "INVALID_API_INPUT", "Composite requests cannot have more than "
                    + MAX_SUBREQUESTS + " subrequests");
        }
        List<Map<String, Object>> requests = new ArrayList<>();
        Set<String> refIds = new HashSet<>();
        int heavy = 0;
        for (Object o : subs) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("method") instanceof String) || !(m.get("url") instanceof String)
                    || !(m.get("referenceId") instanceof String ref) || !ref.matches("[A-Za-z0-9_]+") || !refIds.add(ref)) {
                throw SalesforceErrors.fail(400, "INVALID_API_INPUT", "Each subrequest needs a method, a url and a unique"
                        + " alphanumeric referenceId");
            }
            if (m.get("httpHeaders") instanceof Map<?, ?> h) {
                for (Object k : h.keySet()) {
                    if (INHERITED_HEADERS.contains(k.toString().toLowerCase(Locale.ROOT))) {
                        throw SalesforceErrors.fail(400, "INVALID_API_INPUT", "Subrequest header " + k + " is not allowed");
                    }
                }
            }
            String url = m.get("url").toString();
            if (url.matches("/services/data/v[\\d.]+/(query|queryAll)\\b.*") || url.matches("/services/data/v[\\d.]+/composite/sobjects.*")) {
                heavy++;
            }
            requests.add((Map<String, Object>) m);
        }
        if (heavy > MAX_QUERIES_OR_COLLECTIONS) {
            throw SalesforceErrors.fail(400, "INVALID_API_INPUT", "Composite requests cannot have more than "
                    + MAX_QUERIES_OR_COLLECTIONS + " query or sObject Collections subrequests");
        }
        boolean allOrNone = Boolean.TRUE.equals(body.get("allOrNone"));
        List<Map<String, Object>> responses = new ArrayList<>();
        Map<String, Object> results = new HashMap<>();
        Set<String> failed = new HashSet<>();
        SalesforceRecordStore store = org.store();
        int mark = store.begin();
        try {
            for (Map<String, Object> sub : requests) {
                String ref = sub.get("referenceId").toString();
                Map<String, Object> response;
                if (allOrNone && !failed.isEmpty()) {
                    response = subresponse(ref, 400, Map.of(), List.of(error("PROCESSING_HALTED", HALTED)));
                } else {
                    response = execute(request, sub, ref, results, failed);
                }
                int status = (Integer) response.get("httpStatusCode");
                if (status >= 400) {
                    failed.add(ref);
                } else {
                    results.put(ref, response.get("body"));
                }
                responses.add(response);
            }
            if (allOrNone && !failed.isEmpty()) {
                store.rollback(mark);
                for (int i = 0; i < responses.size(); i++) {
                    Map<String, Object> r = responses.get(i);
                    if ((Integer) r.get("httpStatusCode") < 400) {
                        responses.set(i, subresponse(r.get("referenceId").toString(), 400, Map.of(),
                                List.of(error("PROCESSING_HALTED", HALTED))));
                    }
                }
            }
        } catch (RuntimeException e) {
            // an unexpected failure answers 500; leave no half-applied request behind
            store.rollback(mark);
            throw e;
        } finally {
            store.end();
        }
        return EmulatorResponse.json(200, Map.of("compositeResponse", responses));
    }

    private Map<String, Object> execute(EmulatorRequest parent, Map<String, Object> sub, String ref,
                                        Map<String, Object> results, Set<String> failed) {
        String url;
        Object body;
        try {
            url = resolveText(sub.get("url").toString(), results, failed);
            body = resolve(sub.get("body"), results, failed);
        } catch (UnresolvedReference e) {
            return subresponse(ref, 400, Map.of(), List.of(error("PROCESSING_HALTED", e.getMessage())));
        }
        int q = url.indexOf('?');
        String pathPart = q < 0 ? url : url.substring(0, q);
        String rawQuery = q < 0 ? null : url.substring(q + 1);
        String method = sub.get("method").toString();
        SalesforceApiRoutes.Match match = routes.match(method, pathPart);
        if (match == null || match.route().endpoint().equals("salesforce.composite")) {
            return subresponse(ref, 404, Map.of(), List.of(error("NOT_FOUND", "The requested resource does not exist")));
        }
        Map<String, String> headers = new LinkedHashMap<>(parent.headers());
        if (sub.get("httpHeaders") instanceof Map<?, ?> h) {
            h.forEach((k, v) -> headers.put(k.toString().toLowerCase(Locale.ROOT), String.valueOf(v)));
        }
        String json;
        try {
            json = body == null ? "" : SalesforceErrors.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        EmulatorRequest request = new EmulatorRequest(method, pathPart, rawQuery, EmulatorServer.parseForm(rawQuery), headers,
                json);
        // the journal counts the Composite call; tests count what it carried (e.g. Collections upserts per object)
        subrequests.merge(match.route().endpoint() + (match.matcher().groupCount() >= 2 ? " " + match.matcher().group(2) : ""), 1L, Long::sum);
        EmulatorResponse response;
        try {
            response = match.route().handler().handle(request, match.matcher());
        } catch (EmulatorException e) {
            response = e.response();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Object tree = null;
        if (response.body() != null && !response.body().isEmpty()) {
            try {
                tree = SalesforceErrors.JSON.readValue(response.body(), Object.class);
            } catch (IOException e) {
                tree = response.body();
            }
        }
        Map<String, Object> headersOut = new LinkedHashMap<>();
        if (response.headers().containsKey("Location")) {
            headersOut.put("Location", response.headers().get("Location"));
        }
        return subresponse(ref, response.status(), headersOut, tree);
    }

    private static Map<String, Object> subresponse(String ref, int status, Map<String, Object> headers, Object body) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("body", body);
        r.put("httpHeaders", headers);
        r.put("httpStatusCode", status);
        r.put("referenceId", ref);
        return r;
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("errorCode", code);
        e.put("message", message);
        return e;
    }

    @SuppressWarnings("unchecked")
    private Object resolve(Object node, Map<String, Object> results, Set<String> failed) {
        if (node instanceof String s) {
            Matcher whole = REFERENCE.matcher(s);
            if (whole.matches()) {
                // a value that is only a reference keeps the referenced JSON type
                return lookup(whole.group(1), whole.group(2), results, failed);
            }
            return resolveText(s, results, failed);
        }
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, resolve(v, results, failed)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(resolve(v, results, failed)));
            return out;
        }
        return node;
    }

    private String resolveText(String text, Map<String, Object> results, Set<String> failed) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = lookup(m.group(1), m.group(2), results, failed);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object lookup(String ref, String path, Map<String, Object> results, Set<String> failed) {
        // the message for an unresolvable reference is UNCONFIRMED (reference §4)
        String expr = ref + path;
        if (failed.contains(ref) || !results.containsKey(ref)) {
            throw new UnresolvedReference("Invalid reference specified. No value for " + expr + " found in " + ref
                    + ". Provided referenceId ('" + ref + "') is invalid or not in scope.");
        }
        Object current = results.get(ref);
        Matcher step = STEP.matcher(path);
        while (step.find() && current != null) {
            if (step.group(1) != null) {
                current = current instanceof Map<?, ?> m ? m.get(step.group(1)) : null;
            } else {
                int i = Integer.parseInt(step.group(2));
                current = current instanceof List<?> l && i < l.size() ? l.get(i) : null;
            }
        }
        if (current == null) {
            throw new UnresolvedReference("Invalid reference specified. No value for " + expr + " found in " + ref + ".");
        }
        return current;
    }
}
