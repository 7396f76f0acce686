package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;

/** A list by id, list memberships by list (§8.1) and by record (§8.2). */
final class HubSpotListsHandler {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 250;

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;

    HubSpotListsHandler(HubSpotPortal portal, HubSpotErrors errors) {
        this.portal = portal;
        this.errors = errors;
    }

    /** {@code GET /crm/v3/lists/{listId}}: the list wrapped in {@code list} (§8.2, PublicObjectList). */
    EmulatorResponse list(EmulatorRequest request, Matcher path) {
        HubSpotPortal.ContactList list = portal.findList(path.group(1));
        if (list == null) {
            throw errors.notFound("List " + path.group(1) + " does not exist");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        synchronized (list) {
            // members are added by hand in the emulator, so every list is a MANUAL list that is always processed
            body.put("listId", list.listId);
            body.put("name", list.name);
            body.put("objectTypeId", "0-1");
            body.put("processingType", "MANUAL");
            body.put("processingStatus", "COMPLETE");
            body.put("listVersion", list.version);
            body.put("size", list.members.size());
            body.put("createdAt", HubSpotJson.iso(list.createdAt));
            body.put("updatedAt", HubSpotJson.iso(list.updatedAt));
        }
        return EmulatorResponse.json(200, HubSpotJson.obj("list", body));
    }

    EmulatorResponse memberships(EmulatorRequest request, Matcher path) {
        HubSpotPortal.ContactList list = portal.findList(path.group(1));
        if (list == null) {
            throw errors.notFound("List " + path.group(1) + " does not exist");
        }
        int limit = HubSpotJson.intParam(request.param("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", errors);
        long afterId = Long.MIN_VALUE;
        String after = request.param("after");
        if (after != null && !after.isEmpty()) {
            Long decoded = HubSpotPortal.parseId(HubSpotJson.unbase64(after));
            if (decoded == null) {
                throw errors.validation("Invalid after cursor: " + after);
            }
            afterId = decoded;
        }
        NavigableMap<Long, Instant> members;
        synchronized (list) {
            members = new TreeMap<>(list.members);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        long last = 0;
        boolean more = false;
        for (Map.Entry<Long, Instant> e : members.tailMap(afterId, false).entrySet()) {
            if (results.size() == limit) {
                more = true;
                break;
            }
            results.add(HubSpotJson.obj("recordId", Long.toString(e.getKey()), "membershipTimestamp", HubSpotJson.iso(e.getValue())));
            last = e.getKey();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        body.put("total", members.size());
        if (more) {
            body.put("paging", HubSpotJson.obj("next", HubSpotJson.obj("after", HubSpotJson.base64(Long.toString(last)))));
        }
        return EmulatorResponse.json(200, body);
    }

    EmulatorResponse recordMemberships(EmulatorRequest request, Matcher path) {
        if (!"0-1".equals(path.group(1)) && !"contacts".equals(path.group(1))) {
            throw errors.validation("Only contacts (0-1) are emulated, got objectTypeId " + path.group(1));
        }
        Long recordId = HubSpotPortal.parseId(path.group(2));
        List<Map<String, Object>> results = new ArrayList<>();
        for (HubSpotPortal.ContactList list : portal.allLists()) {
            synchronized (list) {
                Instant last = recordId == null ? null : list.members.get(recordId);
                if (last != null) {
                    results.add(HubSpotJson.obj("listId", list.listId, "listVersion", list.version, "isPublicList", false,
                            "firstAddedTimestamp", HubSpotJson.iso(list.firstAdded.getOrDefault(recordId, last)),
                            "lastAddedTimestamp", HubSpotJson.iso(last)));
                }
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        body.put("total", results.size());
        return EmulatorResponse.json(200, body);
    }
}
