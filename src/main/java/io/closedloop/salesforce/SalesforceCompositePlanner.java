package io.closedloop.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.closedloop.core.Classification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs record writes into the fewest API calls: sObject Collections of at most 200 records, at most five
 * of them in one Composite request (salesforce-api.md §3 and §4), so 1,000 records cost one call.
 */
public final class SalesforceCompositePlanner {
    public static final int RECORDS_PER_COLLECTION = 200;
    public static final int COLLECTIONS_PER_COMPOSITE = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Composite request: its JSON body and the writes of each subrequest, by referenceId. */
    public record CompositeCall(String body, Map<String, List<SalesforceWrite>> subrequests) {
    }

    private SalesforceCompositePlanner() {
    }

    /** How many Composite calls {@link #plan} takes for {@code records} writes of one object and kind (for {@code plan}). */
    public static long calls(long records) {
        long collections = (records + RECORDS_PER_COLLECTION - 1) / RECORDS_PER_COLLECTION;
        return (collections + COLLECTIONS_PER_COMPOSITE - 1) / COLLECTIONS_PER_COMPOSITE;
    }

    public static List<CompositeCall> plan(String apiVersion, List<SalesforceWrite> writes) {
        Map<String, List<SalesforceWrite>> byGroup = new LinkedHashMap<>();
        writes.forEach(w -> byGroup.computeIfAbsent(w.group(), g -> new ArrayList<>()).add(w));
        List<List<SalesforceWrite>> chunks = new ArrayList<>();
        for (List<SalesforceWrite> group : byGroup.values()) {
            for (int from = 0; from < group.size(); from += RECORDS_PER_COLLECTION) {
                chunks.add(group.subList(from, Math.min(group.size(), from + RECORDS_PER_COLLECTION)));
            }
        }
        List<CompositeCall> calls = new ArrayList<>();
        for (int from = 0; from < chunks.size(); from += COLLECTIONS_PER_COMPOSITE) {
            calls.add(call(apiVersion, chunks.subList(from, Math.min(chunks.size(), from + COLLECTIONS_PER_COMPOSITE))));
        }
        return calls;
    }

    private static CompositeCall call(String apiVersion, List<List<SalesforceWrite>> chunks) {
        ObjectNode root = JSON.createObjectNode();
        // independent subrequests: one failure must not roll back the others
        root.put("allOrNone", false);
        root.put("collateSubrequests", false);
        ArrayNode subrequests = root.putArray("compositeRequest");
        Map<String, List<SalesforceWrite>> refs = new LinkedHashMap<>();
        int n = 0;
        for (List<SalesforceWrite> chunk : chunks) {
            String ref = "c" + n++;
            SalesforceWrite first = chunk.get(0);
            ObjectNode sub = subrequests.addObject();
            sub.put("method", first.create() ? "POST" : "PATCH");
            sub.put("referenceId", ref);
            sub.put("url", "/services/data/v" + apiVersion + "/composite/sobjects"
                    + (first.upsert() ? "/" + first.sobject() + "/" + first.externalIdField() : ""));
            ObjectNode body = sub.putObject("body");
            body.put("allOrNone", false);
            ArrayNode records = body.putArray("records");
            for (SalesforceWrite w : chunk) {
                ObjectNode record = records.addObject();
                record.putObject("attributes").put("type", w.sobject());
                w.fields().forEach((k, v) -> record.set(k, node(v)));
            }
            refs.put(ref, List.copyOf(chunk));
        }
        try {
            return new CompositeCall(JSON.writeValueAsString(root), refs);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the planned calls, up to {@code SALESFORCE_CONCURRENCY} at once ({@link SalesforceClient#composites}), and
     * reads every per-record result, in the calls' order.
     */
    public static List<SalesforceWriteResult> send(SalesforceClient client, List<CompositeCall> calls) {
        List<JsonNode> responses = client.composites(calls.stream().map(CompositeCall::body).toList());
        List<SalesforceWriteResult> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            out.addAll(results(calls.get(i), responses.get(i)));
        }
        return out;
    }

    /**
     * Reads every per-record result of a Composite response (always HTTP 200 at the top, §4). A subrequest
     * that failed as a whole fails each of its records with that subrequest's error.
     */
    public static List<SalesforceWriteResult> results(CompositeCall call, JsonNode response) {
        Map<String, JsonNode> byRef = new LinkedHashMap<>();
        for (JsonNode sub : response.path("compositeResponse")) {
            byRef.put(sub.path("referenceId").asText(), sub);
        }
        List<SalesforceWriteResult> out = new ArrayList<>();
        call.subrequests().forEach((ref, writes) -> {
            JsonNode sub = byRef.get(ref);
            if (sub == null) {
                Classification missing = SalesforceErrorClassifier.missingSubresponse("subrequest " + ref);
                writes.forEach(w -> out.add(new SalesforceWriteResult(w, null, null, missing)));
                return;
            }
            int status = sub.path("httpStatusCode").asInt();
            JsonNode body = sub.path("body");
            if (status >= 300 || !body.isArray() || (body.size() > 0 && body.get(0).has("errorCode"))) {
                Classification whole = SalesforceErrorClassifier.classify(status, body.toString());
                writes.forEach(w -> out.add(new SalesforceWriteResult(w, null, null, whole)));
                return;
            }
            for (int i = 0; i < writes.size(); i++) {
                JsonNode r = body.path(i);
                SalesforceWrite w = writes.get(i);
                if (r.path("success").asBoolean(false)) {
                    out.add(new SalesforceWriteResult(w, r.path("id").asText(null),
                            r.has("created") ? r.path("created").asBoolean() : null, null));
                } else {
                    // §3: per-record errors use statusCode; Camel's RestError also accepts errorCode
                    JsonNode error = r.path("errors").path(0);
                    String code = error.path("statusCode").asText(error.path("errorCode").asText("UNKNOWN_ERROR"));
                    String fields = error.path("fields").isArray() && !error.path("fields").isEmpty()
                            ? " " + error.path("fields") : "";
                    out.add(new SalesforceWriteResult(w, null, null,
                            SalesforceErrorClassifier.classifyCode(code, error.path("message").asText("") + fields)));
                }
            }
        });
        return out;
    }

    /**
     * A field's value as a JSON node: the plain kinds directly (what {@code valueToTree} makes of them, without the token
     * buffer, serializer and parser it builds for every value: about 4 % of the daemon's allocation under load), anything
     * else through {@code valueToTree}.
     */
    static JsonNode node(Object value) {
        if (value == null) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        if (value instanceof String s) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
        }
        if (value instanceof Boolean b) {
            return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(b);
        }
        if (value instanceof Integer n) {
            return com.fasterxml.jackson.databind.node.IntNode.valueOf(n);
        }
        if (value instanceof Long n) {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(n);
        }
        if (value instanceof Double n) {
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(n);
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        return JSON.valueToTree(value);
    }
}
