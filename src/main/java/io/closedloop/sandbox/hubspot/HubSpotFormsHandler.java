package io.closedloop.sandbox.hubspot;

import io.closedloop.sandbox.http.EmulatorRequest;
import io.closedloop.sandbox.http.EmulatorResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.regex.Matcher;

/** Forms list (§3.1) and form submissions (§3.2). */
final class HubSpotFormsHandler {
    static final int FORMS_DEFAULT_LIMIT = 20;
    static final int SUBMISSIONS_DEFAULT_LIMIT = 20;
    static final int SUBMISSIONS_MAX_LIMIT = 50;

    private final HubSpotPortal portal;
    private final HubSpotErrors errors;
    // the forms list maximum is undocumented (§3.1, UNCONFIRMED); 50 is the commonly cited value
    private volatile int formsMaxLimit = 50;

    HubSpotFormsHandler(HubSpotPortal portal, HubSpotErrors errors) {
        this.portal = portal;
        this.errors = errors;
    }

    void formsMaxLimit(int max) {
        this.formsMaxLimit = max;
    }

    EmulatorResponse list(EmulatorRequest request, Matcher path) {
        int limit = HubSpotJson.intParam(request.param("limit"), FORMS_DEFAULT_LIMIT, 1, formsMaxLimit, "limit", errors);
        int start = 0;
        String after = request.param("after");
        if (after != null && !after.isEmpty()) {
            String raw = HubSpotJson.unbase64(after);
            try {
                start = Integer.parseInt(raw == null ? "x" : raw);
            } catch (NumberFormatException e) {
                throw errors.validation("Invalid after cursor: " + after);
            }
        }
        boolean archived = Boolean.parseBoolean(request.param("archived"));
        List<HubSpotPortal.Form> forms = archived ? List.of() : portal.forms();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = start; i < Math.min(forms.size(), start + limit); i++) {
            results.add(render(forms.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (start + limit < forms.size()) {
            String next = HubSpotJson.base64(Integer.toString(start + limit));
            body.put("paging", HubSpotJson.obj("next", HubSpotJson.obj("after", next, "link", "?after=" + next)));
        }
        return EmulatorResponse.json(200, body);
    }

    private static Map<String, Object> render(HubSpotPortal.Form f) {
        Map<String, Object> field = HubSpotJson.obj("objectTypeId", "0-1", "name", "email", "label", "Email", "fieldType", "email",
                "required", true, "hidden", false,
                "validation", HubSpotJson.obj("blockedEmailDomains", List.of(), "useDefaultBlockList", false));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", f.guid());
        out.put("name", f.name());
        out.put("formType", "hubspot");
        out.put("createdAt", HubSpotJson.iso(f.createdAt()));
        out.put("updatedAt", HubSpotJson.iso(f.createdAt()));
        out.put("archived", false);
        out.put("fieldGroups", List.of(HubSpotJson.obj("groupType", "default_group", "richTextType", "text", "fields", List.of(field))));
        out.put("configuration", HubSpotJson.obj("language", "en", "createNewContactForNewEmail", false, "editable", true,
                "archivable", true, "cloneable", true, "notifyContactOwner", false, "notifyRecipients", List.of(),
                "prePopulateKnownValues", true, "allowLinkToResetKnownValues", false, "recaptchaEnabled", false,
                "lifecycleStages", List.of(), "postSubmitAction", HubSpotJson.obj("type", "thank_you", "value", "Thanks!")));
        out.put("displayOptions", HubSpotJson.obj("renderRawHtml", false, "theme", "default_style", "submitButtonText", "Submit",
                "style", Map.of()));
        out.put("legalConsentOptions", HubSpotJson.obj("type", "none"));
        return out;
    }

    EmulatorResponse submissions(EmulatorRequest request, Matcher path) {
        String guid = path.group(1);
        NavigableMap<HubSpotPortal.SubmissionKey, HubSpotPortal.Submission> subs = portal.submissions(guid);
        if (subs == null) {
            throw errors.notFound("Form " + guid + " does not exist");
        }
        int limit = HubSpotJson.intParam(request.param("limit"), SUBMISSIONS_DEFAULT_LIMIT, 1, SUBMISSIONS_MAX_LIMIT, "limit", errors);
        NavigableMap<HubSpotPortal.SubmissionKey, HubSpotPortal.Submission> from = subs;
        String after = request.param("after");
        if (after != null && !after.isEmpty()) {
            from = subs.tailMap(decodeAfter(after), false);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        HubSpotPortal.SubmissionKey last = null;
        boolean more = false;
        for (Map.Entry<HubSpotPortal.SubmissionKey, HubSpotPortal.Submission> e : from.entrySet()) {
            if (results.size() == limit) {
                more = true;
                break;
            }
            HubSpotPortal.Submission s = e.getValue();
            List<Map<String, Object>> values = new ArrayList<>();
            s.values().forEach((k, v) -> values.add(HubSpotJson.obj("name", k, "value", v)));
            results.add(HubSpotJson.obj("conversionId", s.conversionId(), "submittedAt", s.submittedAt(), "values", values,
                    "pageUrl", s.pageUrl()));
            last = e.getKey();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", results);
        if (more) {
            String next = HubSpotJson.base64(last.submittedAt() + ":" + last.seq());
            body.put("paging", HubSpotJson.obj("next", HubSpotJson.obj("after", next, "link", "?limit=" + limit + "&after=" + next)));
        }
        return EmulatorResponse.json(200, body);
    }

    private HubSpotPortal.SubmissionKey decodeAfter(String after) {
        String raw = HubSpotJson.unbase64(after);
        String[] parts = raw == null ? new String[0] : raw.split(":");
        try {
            return new HubSpotPortal.SubmissionKey(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            throw errors.validation("Invalid after cursor: " + after);
        }
    }
}
