package io.closedloop.sandbox.salesforce;

import io.closedloop.sandbox.salesforce.soql.SoqlEvaluator;
import io.closedloop.sandbox.salesforce.soql.SoqlField;
import io.closedloop.sandbox.salesforce.soql.SoqlResult;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulated org's data: direct access for the simulated world and test assertions (not journaled, no API limit),
 * and the write paths the REST handlers share, so both validate alike.
 */
public final class SalesforceOrg {
    /** A write the org refuses, with the per-record status code of reference §6.3. */
    public static final class ValidationException extends RuntimeException {
        private final String statusCode;
        private final List<String> fields;

        public ValidationException(String statusCode, String message, List<String> fields) {
            super(message);
            this.statusCode = statusCode;
            this.fields = List.copyOf(fields);
        }

        public String statusCode() {
            return statusCode;
        }

        public String errorCode() {
            return statusCode;
        }

        public List<String> fields() {
            return fields;
        }
    }

    public record ConvertResult(String contactId, String accountId, String opportunityId) {
    }

    /** What an upsert did: the record id and whether it was created. */
    record SaveOutcome(String id, boolean created) {
    }

    private static final Pattern AUTO_NUMBER = Pattern.compile("\\{(0+)}");

    private final SalesforceSchema schema;
    private final SalesforceRecordStore store;
    private final SalesforceValidator validator;
    private final SoqlEvaluator evaluator;
    private final SalesforceIds ids;
    private final Clock clock;
    private final String orgId;
    private final String userId;
    private final Map<String, Long> autoNumbers = new HashMap<>();
    private final Set<String> lockOnce = ConcurrentHashMap.newKeySet();
    private final Random lockRandom;
    private volatile double lockRate;
    private volatile SalesforceAccess access = SalesforceAccess.load();
    private volatile SalesforceOrgProfile profile = SalesforceOrgProfile.CLASSIC;
    private long apiCalls;
    private LocalDate apiDay;

    SalesforceOrg(SalesforceSchema schema, Clock clock, long seed, String username) {
        this.schema = schema;
        this.store = new SalesforceRecordStore(schema);
        this.validator = new SalesforceValidator(store);
        this.evaluator = new SoqlEvaluator(schema, store);
        this.ids = new SalesforceIds(seed);
        this.clock = clock;
        this.lockRandom = new Random(seed);
        this.orgId = ids.next("00D");
        // the run-as user of every token; it owns records created through the API
        this.userId = create("User", Map.of("Username", username, "LastName", "Integration", "FirstName", "Closedloop",
                "Email", username, "IsActive", true), false);
    }

    /** Inserts a record, validated like the API; returns its id or throws {@link ValidationException}. */
    public String insert(String sobject, Map<String, Object> fields) {
        return create(sobject, fields, false);
    }

    public void update(String sobject, String id, Map<String, Object> fields) {
        update(sobject, id, fields, false);
    }

    /** How many records of this object there are, without copying them (the benchmark asks often). */
    public int count(String sobject) {
        SalesforceObjectType type = type(sobject);
        store.lock();
        try {
            return store.size(type.name());
        } finally {
            store.unlock();
        }
    }

    /** A copy with canonical field names, or null if there is no such record of that object. */
    public Map<String, Object> get(String sobject, String id) {
        SalesforceObjectType type = type(sobject);
        store.lock();
        try {
            Map<String, Object> r = id == null ? null : store.get(id);
            return r == null || store.schemaFor(id) != type ? null : new LinkedHashMap<>(r);
        } finally {
            store.unlock();
        }
    }

    /**
     * Visits, under the lock, the object's records after the first {@code skip} in the order they were created, and
     * returns how many records it has: a caller that passes the last answer back sees each new record once. The order
     * holds while no record of the object is deleted.
     */
    public int visitAfter(String sobject, int skip, java.util.function.Consumer<Map<String, Object>> visitor) {
        SalesforceObjectType type = type(sobject);
        store.lock();
        try {
            java.util.Iterator<Map<String, Object>> rows = store.rows(type.name()).iterator();
            for (int i = 0; i < skip && rows.hasNext(); i++) {
                rows.next();
            }
            rows.forEachRemaining(visitor);
            return store.size(type.name());
        } finally {
            store.unlock();
        }
    }

    public List<Map<String, Object>> all(String sobject) {
        SalesforceObjectType type = type(sobject);
        store.lock();
        try {
            List<Map<String, Object>> out = new ArrayList<>(store.size(type.name()));
            store.rows(type.name()).forEach(r -> out.add(new LinkedHashMap<>(r)));
            return out;
        } finally {
            store.unlock();
        }
    }

    /**
     * Runs SOQL; each row is a flat map keyed by canonical paths such as {@code Owner.Name}. {@code SELECT COUNT()}
     * gives one row {@code {"count": n}}.
     */
    public List<Map<String, Object>> query(String soql) {
        store.lock();
        try {
            SoqlResult result = evaluator.execute(soql);
            if (result.count()) {
                return List.of(Map.of("count", result.totalSize()));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : result.records()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (SoqlField f : result.columns()) {
                    row.put(f.path(), f.valueOf(r, store));
                }
                out.add(row);
            }
            return out;
        } finally {
            store.unlock();
        }
    }

    /** Converts a lead: a new or given account, a contact, optionally an opportunity; the lead becomes read-only. */
    public ConvertResult convertLead(String leadId, String accountIdOrNull, boolean createOpportunity) {
        int mark = store.begin();
        boolean ok = false;
        try {
            Map<String, Object> lead = get("Lead", leadId);
            if (lead == null) {
                throw new ValidationException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of("Id"));
            }
            if (Boolean.TRUE.equals(lead.get("IsConverted"))) {
                throw new ValidationException("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", List.of());
            }
            String accountId = accountIdOrNull;
            if (accountId == null) {
                Map<String, Object> account = new HashMap<>(sameNamedCustomFields(lead, "Account"));
                account.put("Name", lead.get("Company"));
                account.put("OwnerId", lead.get("OwnerId"));
                accountId = create("Account", account, false);
            }
            Map<String, Object> contact = new HashMap<>(sameNamedCustomFields(lead, "Contact"));
            for (String f : List.of("FirstName", "LastName", "Email", "LeadSource", "OwnerId")) {
                contact.put(f, lead.get(f));
            }
            contact.put("AccountId", accountId);
            String contactId = create("Contact", contact, false);
            String opportunityId = null;
            if (createOpportunity) {
                opportunityId = create("Opportunity", Map.of("Name", lead.get("Company") + "-", "StageName", "Prospecting",
                        "CloseDate", today().plusDays(30), "AccountId", accountId, "OwnerId", lead.get("OwnerId")), false);
            }
            Map<String, Object> converted = new LinkedHashMap<>(store.get(leadId));
            converted.put("IsConverted", true);
            converted.put("Status", profile.convertedStatus());
            converted.put("ConvertedContactId", contactId);
            converted.put("ConvertedAccountId", accountId);
            converted.put("ConvertedOpportunityId", opportunityId);
            converted.put("ConvertedDate", today());
            stamp(converted, false);
            store.put("Lead", converted);
            // conversion moves the lead's open activities to the new contact
            for (Map<String, Object> task : new ArrayList<>(store.rows("Task"))) {
                if (converted.get("Id").equals(task.get("WhoId"))) {
                    Map<String, Object> moved = new LinkedHashMap<>(task);
                    moved.put("WhoId", contactId);
                    moved.put("AccountId", accountId);
                    stamp(moved, false);
                    store.put("Task", moved);
                }
            }
            ok = true;
            return new ConvertResult(contactId, accountId, opportunityId);
        } finally {
            if (!ok) {
                store.rollback(mark);
            }
            store.end();
        }
    }

    /**
     * Schema drift, for tests of the daemon's startup check: the field is gone, as if an admin deleted it or the
     * metadata was never deployed; describe, SOQL and writes no longer know it.
     */
    public void removeField(String sobject, String field) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            requireField(type, field);
            type.remove(field);
        } finally {
            store.unlock();
        }
    }

    /** Configures the org like another company's: its Lead Status values (and default) and its rejection reasons. */
    public void useProfile(SalesforceOrgProfile p) {
        store.lock();
        try {
            SalesforceObjectType lead = type("Lead");
            lead.add(requireField(lead, "Status").withPicklistValues(p.leadStatuses()).withDefault(p.newStatus()));
            lead.add(requireField(lead, "Rejection_Reason__c").withPicklistValues(p.rejections().keySet().stream().sorted().toList()));
            profile = p;
        } finally {
            store.unlock();
        }
    }

    public SalesforceOrgProfile profile() {
        return profile;
    }

    /** Schema drift: an admin replaced the values of a picklist (restricted ones then refuse anything else). */
    public void replacePicklistValues(String sobject, String field, String... values) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            type.add(requireField(type, field).withPicklistValues(List.of(values)));
        } finally {
            store.unlock();
        }
    }

    /**
     * Schema drift: an admin changed a text field's length. The emulator checks only later writes against it: a longer
     * value then fails per record with STRING_TOO_LONG.
     */
    public void setLength(String sobject, String field, int length) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            SalesforceField f = requireField(type, field);
            if (length < 1 || f.type() == SalesforceFieldType.REFERENCE || f.type() == SalesforceFieldType.ID) {
                throw new IllegalArgumentException(sobject + "." + field + " has no settable length");
            }
            type.add(f.withLength(length));
        } finally {
            store.unlock();
        }
    }

    /** Schema drift: the integration user lost edit access to the field (field-level security); describe shows it read-only. */
    public void revokeFieldEdit(String sobject, String field) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            type.add(requireField(type, field).readOnly());
        } finally {
            store.unlock();
        }
    }

    /**
     * The integration user's access from now on: what this permission set grants (for example the packaged one with a
     * field permission removed). API calls see it in describe and in the per-record errors of writes.
     */
    public void permissionSet(SalesforceAccess newAccess) {
        this.access = newAccess;
    }

    /** The integration user's access (describe and API writes); direct calls of the sandbox world are not limited. */
    SalesforceAccess access() {
        return access;
    }

    private static SalesforceField requireField(SalesforceObjectType type, String field) {
        SalesforceField f = type.field(field);
        if (f == null) {
            throw new IllegalArgumentException(type.name() + " has no field " + field);
        }
        return f;
    }

    /** API calls counted today (UTC day of the org's clock). */
    public synchronized long apiCallsToday() {
        rollDay();
        return apiCalls;
    }

    /** The next API write touching each of these records fails once with UNABLE_TO_LOCK_ROW. */
    public void lockRecordsOnce(String... recordIds) {
        for (String id : recordIds) {
            lockOnce.add(SalesforceIds.to18(id));
        }
    }

    /** Every API record write fails with UNABLE_TO_LOCK_ROW with this probability (seeded). */
    public void lockFailureRate(double probability) {
        this.lockRate = probability;
    }

    public String orgId() {
        return orgId;
    }

    /** The integration user every token acts as. */
    public String userId() {
        return userId;
    }

    SalesforceSchema schema() {
        return schema;
    }

    SalesforceRecordStore store() {
        return store;
    }

    SoqlEvaluator evaluator() {
        return evaluator;
    }

    /** Counts one API call unless the daily allocation is spent; false means REQUEST_LIMIT_EXCEEDED. */
    synchronized boolean consumeApiCall(long dailyLimit) {
        rollDay();
        if (apiCalls >= dailyLimit) {
            return false;
        }
        apiCalls++;
        return true;
    }

    private void rollDay() {
        LocalDate day = today();
        if (!day.equals(apiDay)) {
            apiDay = day;
            apiCalls = 0;
        }
    }

    SalesforceObjectType type(String sobject) {
        SalesforceObjectType type = schema.object(sobject);
        if (type == null) {
            throw new ValidationException("INVALID_TYPE", "sObject type '" + sobject + "' is not supported.", List.of());
        }
        return type;
    }

    String create(String sobject, Map<String, ?> input, boolean api) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            if (api) {
                maybeLockFailure(null);
            }
            Map<String, Object> values = validator.coerce(type, input, true, api ? access : null);
            Map<String, Object> record = new LinkedHashMap<>();
            for (SalesforceField f : type.fields()) {
                record.put(f.name(), initial(type, f));
            }
            values.forEach((k, v) -> {
                if (v != null || !record.containsKey(k) || record.get(k) == null) {
                    record.put(k, v);
                }
            });
            String id = ids.next(type.keyPrefix());
            record.put("Id", id);
            stamp(record, true);
            derive(type, record, null);
            SalesforceValidator.checkRequired(type, record);
            validator.checkUnique(type, id, record);
            checkCampaignMember(type, record);
            store.put(type.name(), record);
            if (type.name().equals("Campaign")) {
                defaultMemberStatuses(id);
            }
            return id;
        } finally {
            store.unlock();
        }
    }

    void update(String sobject, String id, Map<String, ?> input, boolean api) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            Map<String, Object> existing = existing(type, id);
            if (api) {
                maybeLockFailure(existing.get("Id").toString());
            }
            Map<String, Object> values = validator.coerce(type, input, false, api ? access : null);
            Map<String, Object> record = new LinkedHashMap<>(existing);
            record.putAll(values);
            stamp(record, false);
            derive(type, record, existing);
            SalesforceValidator.checkRequired(type, record);
            validator.checkUnique(type, id, record);
            if (type.name().equals("CampaignMember")) {
                checkMemberStatus(record);
            }
            store.put(type.name(), record);
        } finally {
            store.unlock();
        }
    }

    /**
     * Deletes a record by id: MALFORMED_ID for an id of no object, ENTITY_IS_DELETED for one that is not there (code as
     * the object reference's StatusCode list names it; its message here is UNCONFIRMED).
     */
    void delete(String id, boolean api) {
        store.lock();
        try {
            SalesforceObjectType type = SalesforceIds.wellFormed(id) ? schema.objectForId(id) : null;
            if (type == null) {
                throw new ValidationException("MALFORMED_ID", "malformed id " + id, List.of());
            }
            if (api) {
                maybeLockFailure(SalesforceIds.to18(id));
            }
            if (store.get(id) == null) {
                throw new ValidationException("ENTITY_IS_DELETED", "entity is deleted", List.of());
            }
            store.delete(type.name(), SalesforceIds.to18(id));
        } finally {
            store.unlock();
        }
    }

    /** Matches the external id case-insensitively: one match updates, none creates, several fail. */
    SaveOutcome upsert(String sobject, String externalIdField, String value, Map<String, ?> input, boolean api) {
        store.lock();
        try {
            SalesforceObjectType type = type(sobject);
            SalesforceField field = type.field(externalIdField);
            Set<String> matches = store.lookup(type.name(), field.name(), value);
            if (matches.size() > 1) {
                // the collections code for an ambiguous external id is UNCONFIRMED (reference §3.3)
                throw new ValidationException("DUPLICATE_EXTERNAL_ID", field.name() + ": more than one record found for"
                        + " external id field: " + List.copyOf(matches), List.of(field.name()));
            }
            if (matches.size() == 1) {
                String id = matches.iterator().next();
                update(type.name(), id, input, api);
                return new SaveOutcome(id, false);
            }
            return new SaveOutcome(create(type.name(), input, api), true);
        } finally {
            store.unlock();
        }
    }

    /** The record to update: MALFORMED_ID for a bad id, CANNOT_UPDATE_CONVERTED_LEAD for a converted lead. */
    Map<String, Object> existing(SalesforceObjectType type, String id) {
        if (!SalesforceIds.wellFormed(id) || schema.objectForId(id) != type) {
            throw new ValidationException("MALFORMED_ID", type.name() + " ID: id value of incorrect type: " + id, List.of("Id"));
        }
        Map<String, Object> existing = store.get(id);
        if (existing == null) {
            throw new ValidationException("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of("Id"));
        }
        if (type.name().equals("Lead") && Boolean.TRUE.equals(existing.get("IsConverted"))) {
            throw new ValidationException("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead", List.of());
        }
        return existing;
    }

    private void maybeLockFailure(String id) {
        boolean fail = id != null && lockOnce.remove(id);
        if (!fail && lockRate > 0) {
            synchronized (lockRandom) {
                fail = lockRandom.nextDouble() < lockRate;
            }
        }
        if (fail) {
            throw new ValidationException("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: "
                    + (id == null ? "" : id), List.of());
        }
    }

    private Object initial(SalesforceObjectType type, SalesforceField f) {
        if (f.defaultValue() != null) {
            return f.defaultValue();
        }
        if (f.type() == SalesforceFieldType.BOOLEAN) {
            return f.name().equals("IsActive") && type.name().equals("User");
        }
        if (f.name().equals("OwnerId")) {
            return userId;
        }
        return null;
    }

    private void stamp(Map<String, Object> record, boolean created) {
        Instant now = clock.instant();
        String by = userId == null ? (String) record.get("Id") : userId;
        if (created) {
            record.put("CreatedDate", now);
            record.put("CreatedById", by);
        }
        record.put("LastModifiedDate", now);
        record.put("LastModifiedById", by);
        record.put("SystemModstamp", now);
    }

    /** Fields Salesforce computes: names, closed/won flags, responded flags, auto-numbers. */
    private void derive(SalesforceObjectType type, Map<String, Object> r, Map<String, Object> before) {
        switch (type.name()) {
            case "Lead", "Contact", "User" -> {
                Object first = r.get("FirstName");
                Object last = r.get("LastName");
                r.put("Name", ((first == null ? "" : first + " ") + (last == null ? "" : last)).trim());
            }
            case "Task" -> {
                r.put("IsClosed", "Completed".equals(r.get("Status")));
                r.put("AccountId", taskAccount(r));
            }
            case "Opportunity" -> {
                Object stage = r.get("StageName");
                r.put("IsClosed", stage != null && stage.toString().startsWith("Closed"));
                r.put("IsWon", "Closed Won".equals(stage));
            }
            case "CampaignMember" -> {
                Map<String, Object> status = memberStatus(r);
                boolean responded = status != null && Boolean.TRUE.equals(status.get("HasResponded"));
                r.put("HasResponded", responded);
                if (responded && r.get("FirstRespondedDate") == null) {
                    r.put("FirstRespondedDate", today());
                }
            }
            default -> {
                if (before == null && type.autoNumberFormat() != null) {
                    r.put("Name", autoNumber(type));
                }
            }
        }
    }

    private Object taskAccount(Map<String, Object> task) {
        Object what = task.get("WhatId");
        if (what != null && what.toString().startsWith("001")) {
            return what;
        }
        Object who = task.get("WhoId");
        Map<String, Object> contact = who != null && who.toString().startsWith("003") ? store.get(who.toString()) : null;
        return contact == null ? null : contact.get("AccountId");
    }

    private String autoNumber(SalesforceObjectType type) {
        long n = autoNumbers.merge(type.name(), 1L, Long::sum);
        Matcher m = AUTO_NUMBER.matcher(type.autoNumberFormat());
        if (!m.find()) {
            return type.autoNumberFormat() + n;
        }
        String digits = String.format("%0" + m.group(1).length() + "d", n);
        return type.autoNumberFormat().substring(0, m.start()) + digits + type.autoNumberFormat().substring(m.end());
    }

    /**
     * A new campaign's member statuses: "Sent" (the default) and "Responded" (HasResponded), as Salesforce gives every
     * new campaign (Salesforce Help, "Campaign Member Statuses"; each campaign needs one default and one responded status
     * since API 39, object reference CampaignMemberStatus).
     */
    private void defaultMemberStatuses(String campaignId) {
        create("CampaignMemberStatus", Map.of("CampaignId", campaignId, "Label", "Sent", "IsDefault", true, "HasResponded", false,
                "SortOrder", 1), false);
        create("CampaignMemberStatus", Map.of("CampaignId", campaignId, "Label", "Responded", "IsDefault", false, "HasResponded", true,
                "SortOrder", 2), false);
    }

    /** The CampaignMemberStatus a member's Status names in its campaign (the default one when Status is blank), or null. */
    private Map<String, Object> memberStatus(Map<String, Object> member) {
        Object campaign = member.get("CampaignId");
        Object label = member.get("Status");
        for (Map<String, Object> s : store.rows("CampaignMemberStatus")) {
            if (s.get("CampaignId").equals(campaign) && (label == null ? Boolean.TRUE.equals(s.get("IsDefault"))
                    : label.toString().equalsIgnoreCase(s.get("Label").toString()))) {
                return s;
            }
        }
        return null;
    }

    private void checkCampaignMember(SalesforceObjectType type, Map<String, Object> r) {
        if (!type.name().equals("CampaignMember")) {
            return;
        }
        checkMemberStatus(r);
        if (r.get("LeadId") == null && r.get("ContactId") == null) {
            throw new ValidationException("REQUIRED_FIELD_MISSING", "Required fields are missing: [LeadId or ContactId]",
                    List.of("LeadId", "ContactId"));
        }
        for (Map<String, Object> other : store.rows("CampaignMember")) {
            boolean sameCampaign = r.get("CampaignId").equals(other.get("CampaignId"));
            boolean samePerson = (r.get("LeadId") != null && r.get("LeadId").equals(other.get("LeadId")))
                    || (r.get("ContactId") != null && r.get("ContactId").equals(other.get("ContactId")));
            if (sameCampaign && samePerson) {
                // "Already a campaign member" wording is UNCONFIRMED (reference §7.5)
                throw new ValidationException("DUPLICATE_VALUE", "Already a campaign member.", List.of());
            }
        }
    }

    /** A member's Status is one of its campaign's labels; a blank one takes the default (error code UNCONFIRMED, §7.5). */
    private void checkMemberStatus(Map<String, Object> r) {
        Map<String, Object> status = memberStatus(r);
        if (status == null) {
            throw new ValidationException("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "Status: bad value for restricted picklist field: "
                    + r.get("Status"), List.of("Status"));
        }
        r.put("Status", status.get("Label"));
    }

    private Map<String, Object> sameNamedCustomFields(Map<String, Object> lead, String target) {
        SalesforceObjectType t = schema.object(target);
        Map<String, Object> out = new HashMap<>();
        lead.forEach((k, v) -> {
            SalesforceField f = t.field(k);
            if (k.endsWith("__c") && v != null && f != null && f.createable()) {
                out.put(f.name(), v);
            }
        });
        return out;
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
