package io.closedloop.config;

import io.closedloop.core.BusinessHours;
import io.closedloop.core.Disposition;
import io.closedloop.core.ReverseSla;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The sales-feedback rules (config/dispositions.properties): Salesforce Lead Status to disposition, disposition to
 * HubSpot lead status and lifecycle stage, whether the stage may move backwards, the MQL and SQL definitions, the
 * hand-off SLA and the reverse SLA (marketing's side).
 */
public record DispositionRules(Map<String, Disposition> byLeadStatus, Map<Disposition, String> hubspotLeadStatus,
                               Map<Disposition, String> hubspotLifecycle, boolean allowBackwards, String mqlStage,
                               Integer mqlScore, Duration slaHours, Map<String, Duration> slaByLeadSource,
                               BusinessHours businessHours, boolean notifyManager, Set<String> noVerdictStatuses,
                               String reasonField, String detailField, boolean unmappedWithReasonRejected, ReverseSla reverseSla,
                               Set<Disposition> sqlOn) {

    /** The key listing Lead statuses that carry no verdict yet (new, not yet worked): only the owner is sent. */
    public static final String NO_VERDICT_KEY = "status.none";
    public static final String REASON_FIELD_KEY = "rejection.reason-field";
    public static final String DETAIL_FIELD_KEY = "rejection.detail-field";
    public static final String UNMAPPED_WITH_REASON_KEY = "rejection.unmapped-status-with-reason";
    public static final String REVERSE_SLA_HOURS_KEY = "reverse-sla.hours";
    public static final String REVERSE_SLA_REASONS_KEY = "reverse-sla.rejection-reasons";
    public static final String REVERSE_SLA_LIST_KEY = "reverse-sla.nurture-list-id";
    /** The SQL definition: the Lead dispositions that make a lead sales-qualified. */
    public static final String SQL_ON_KEY = "sql.on";
    /** What sql.on may name: verdicts on a Lead that take it forward (won and lost come from opportunities, not Leads). */
    public static final Set<Disposition> SQL_DISPOSITIONS = java.util.Collections.unmodifiableSet(
            EnumSet.of(Disposition.ACCEPTED, Disposition.WORKING, Disposition.CONVERTED));

    /** The SQL definition in words, for validate and plan: which dispositions, reached by which Lead statuses. */
    public String sqlDefinition() {
        if (sqlOn.isEmpty()) {
            return SQL_ON_KEY + " is empty: no SQL moments are written";
        }
        List<String> parts = new ArrayList<>();
        for (Disposition d : sqlOn) {
            List<String> statuses = statusKeys().getOrDefault("status." + d.value(), List.of());
            String how = d == Disposition.CONVERTED ? "converted" + (statuses.isEmpty() ? "" : " or Lead Status " + String.join(" / ", statuses))
                    : d.value() + " (Lead Status " + (statuses.isEmpty() ? "none" : String.join(" / ", statuses)) + ")";
            parts.add(how);
        }
        return SQL_ON_KEY + "=" + String.join(",", sqlOn.stream().map(Disposition::value).toList())
                + ": a Lead becomes sales-qualified when " + String.join(" or ", parts)
                + "; written once as sales_qualified_at (HubSpot) and SQL_At__c (Salesforce)";
    }

    /** Whether a Lead with this disposition is a sales-qualified lead under the SQL definition. */
    public boolean salesQualified(Disposition disposition) {
        return disposition != null && sqlOn.contains(disposition);
    }

    /**
     * What a Lead comes to under these rules. {@code disposition} is null for no verdict (only the owner is sent) and
     * for an unmapped status; {@code unmapped} means the status is in no {@code status.*} key and must be parked;
     * {@code byReasonRule} means an unmapped status with a rejection reason was taken as a rejection.
     */
    public record Resolution(Disposition disposition, boolean unmapped, boolean byReasonRule) {
    }

    /** The pure decision for one Lead: conversion first, then the mapping, then the rule for reasons on unmapped statuses. */
    public Resolution resolve(String status, boolean converted, String reason) {
        if (converted) {
            return new Resolution(Disposition.CONVERTED, false, false);
        }
        Disposition d = status == null ? null : byLeadStatus.get(status);
        if (d != null) {
            return new Resolution(d, false, false);
        }
        if (status == null || noVerdictStatuses.contains(status)) {
            return new Resolution(null, false, false);
        }
        if (reason != null && unmappedWithReasonRejected) {
            return new Resolution(Disposition.REJECTED, false, true);
        }
        return new Resolution(null, true, false);
    }

    /** Every status.* key with its values, in file order (status.none last), for the mapping check. */
    public Map<String, List<String>> statusKeys() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Disposition d : Disposition.values()) {
            out.put("status." + d.value(), byLeadStatus.entrySet().stream().filter(e -> e.getValue() == d).map(Map.Entry::getKey).toList());
        }
        out.put(NO_VERDICT_KEY, List.copyOf(noVerdictStatuses));
        return out;
    }


    public static final Path DEFAULT_FILE = Path.of("config", "dispositions.properties");
    /** HubSpot's default lifecycle order (hubspot-api.md §4.1); "other" has no place in it. */
    public static final List<String> LIFECYCLE_ORDER = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist");

    public static DispositionRules defaults() {
        return parse(new Properties(), "defaults", new ArrayList<>());
    }

    public Duration slaFor(String leadSource) {
        return leadSource == null ? slaHours : slaByLeadSource.getOrDefault(leadSource, slaHours);
    }

    /** Whether moving from one lifecycle stage to another is forward (or the option allows any move). */
    public boolean lifecycleMoveAllowed(String from, String to) {
        int a = LIFECYCLE_ORDER.indexOf(from);
        int b = LIFECYCLE_ORDER.indexOf(to);
        return allowBackwards || from == null || a < 0 || b < 0 || b > a;
    }

    public static DispositionRules load(Path file) {
        Properties props = new Properties();
        if (file != null && Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            } catch (IOException e) {
                throw new SettingsException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
            }
        }
        List<String> problems = new ArrayList<>();
        DispositionRules rules = parse(props, String.valueOf(file), problems);
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return rules;
    }

    private static DispositionRules parse(Properties props, String file, List<String> problems) {
        Map<String, String> values = new LinkedHashMap<>(defaultValues());
        for (String key : props.stringPropertyNames()) {
            if (!values.containsKey(key)) {
                problems.add(file + ": " + key + ": unknown key; expected one of " + String.join(", ", defaultValues().keySet()));
                continue;
            }
            values.put(key, props.getProperty(key).trim());
        }
        Map<String, Disposition> byStatus = new LinkedHashMap<>();
        Map<Disposition, String> leadStatus = new EnumMap<>(Disposition.class);
        Map<Disposition, String> lifecycle = new EnumMap<>(Disposition.class);
        for (Disposition d : Disposition.values()) {
            for (String status : split(values.getOrDefault("status." + d.value(), ""))) {
                Disposition before = byStatus.put(status, d);
                if (before != null && before != d) {
                    problems.add(file + ": status." + d.value() + ": Lead Status \"" + status + "\" is also mapped to " + before.value());
                }
            }
            String ls = values.get("hubspot.lead-status." + d.value());
            if (!ls.isEmpty()) {
                if (!ls.matches("[A-Z0-9_]+")) {
                    problems.add(file + ": hubspot.lead-status." + d.value() + ": expected an hs_lead_status option value such as UNQUALIFIED, got \"" + ls + "\"");
                }
                leadStatus.put(d, ls);
            }
            String lc = values.get("hubspot.lifecycle." + d.value());
            if (!lc.isEmpty()) {
                if (!lc.matches("[a-z0-9_]+")) {
                    problems.add(file + ": hubspot.lifecycle." + d.value() + ": expected a lifecyclestage option value such as lead, got \"" + lc + "\"");
                }
                lifecycle.put(d, lc);
            }
        }
        boolean backwards = bool(values, "hubspot.lifecycle.allow-backwards", file, problems);
        Integer score = null;
        String scoreText = values.get("mql.score-threshold");
        if (!scoreText.isEmpty()) {
            try {
                score = Integer.parseInt(scoreText);
            } catch (NumberFormatException e) {
                problems.add(file + ": mql.score-threshold: expected a whole number, got \"" + scoreText + "\"");
            }
        }
        String mqlStage = values.get("mql.lifecycle-stage");
        if (mqlStage.isEmpty() && score == null) {
            problems.add(file + ": mql.lifecycle-stage: set it or mql.score-threshold, or nothing is ever an MQL");
        }
        Duration sla = hours(values.get("sla.hours"), "sla.hours", file, problems);
        Map<String, Duration> bySource = new LinkedHashMap<>();
        for (String pair : split(values.get("sla.hours-by-lead-source"))) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0) {
                problems.add(file + ": sla.hours-by-lead-source: expected LeadSource:hours, got \"" + pair + "\"");
                continue;
            }
            bySource.put(pair.substring(0, colon).trim(), hours(pair.substring(colon + 1).trim(), "sla.hours-by-lead-source", file, problems));
        }
        BusinessHours business = businessHours(values.get("sla.business-hours"), file, problems);
        boolean manager = bool(values, "sla.notify-manager", file, problems);
        Set<String> none = new java.util.LinkedHashSet<>();
        for (String status : split(values.get(NO_VERDICT_KEY))) {
            Disposition mapped = byStatus.get(status);
            if (mapped != null) {
                problems.add(file + ": " + NO_VERDICT_KEY + ": Lead Status \"" + status + "\" is also mapped to " + mapped.value());
            }
            none.add(status);
        }
        String reasonField = fieldName(values, REASON_FIELD_KEY, file, problems);
        String detailField = fieldName(values, DETAIL_FIELD_KEY, file, problems);
        String unmapped = values.get(UNMAPPED_WITH_REASON_KEY).toLowerCase(Locale.ROOT);
        if (!unmapped.equals("rejected") && !unmapped.equals("park")) {
            problems.add(file + ": " + UNMAPPED_WITH_REASON_KEY + ": expected rejected or park, got \"" + values.get(UNMAPPED_WITH_REASON_KEY) + "\"");
        }
        Set<Disposition> sqlOn = EnumSet.noneOf(Disposition.class);
        for (String token : split(values.get(SQL_ON_KEY))) {
            Disposition d = java.util.Arrays.stream(Disposition.values()).filter(x -> x.value().equals(token.toLowerCase(Locale.ROOT)))
                    .findFirst().orElse(null);
            if (d == null || !SQL_DISPOSITIONS.contains(d)) {
                problems.add(file + ": " + SQL_ON_KEY + ": expected some of accepted, working, converted, got \"" + token + "\"");
            } else {
                sqlOn.add(d);
            }
        }
        ReverseSla reverse = reverseSla(values, byStatus, file, problems);
        return new DispositionRules(byStatus, leadStatus, lifecycle, backwards, mqlStage.isEmpty() ? null : mqlStage, score, sla,
                bySource, business, manager, java.util.Collections.unmodifiableSet(none), reasonField, detailField, !unmapped.equals("park"),
                reverse, java.util.Collections.unmodifiableSet(sqlOn));
    }

    /** reverse-sla.*: off while the hours are empty; once on, something must be able to start a clock. */
    private static ReverseSla reverseSla(Map<String, String> values, Map<String, Disposition> byStatus, String file, List<String> problems) {
        String hoursText = values.get(REVERSE_SLA_HOURS_KEY);
        String listId = values.get(REVERSE_SLA_LIST_KEY);
        if (!listId.isEmpty() && !listId.matches("[0-9]{1,20}")) {
            problems.add(file + ": " + REVERSE_SLA_LIST_KEY + ": expected a HubSpot list id such as 1234, got \"" + listId + "\"");
        }
        Set<String> reasons = new java.util.LinkedHashSet<>(split(values.get(REVERSE_SLA_REASONS_KEY)));
        if (hoursText.isEmpty()) {
            return ReverseSla.OFF;
        }
        Duration hours = hours(hoursText, REVERSE_SLA_HOURS_KEY, file, problems);
        if (reasons.isEmpty() && !byStatus.containsValue(Disposition.RECYCLED)) {
            problems.add(file + ": " + REVERSE_SLA_HOURS_KEY + ": set, but status.recycled names no Lead Status and " + REVERSE_SLA_REASONS_KEY
                    + " is empty, so no hand-back would ever start a clock");
        }
        return new ReverseSla(hours, reasons, listId.isEmpty() ? null : listId);
    }

    private static Map<String, String> defaultValues() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("mql.lifecycle-stage", "marketingqualifiedlead");
        v.put("mql.score-threshold", "");
        v.put(SQL_ON_KEY, "");
        v.put("status.accepted", "");
        v.put("status.working", "Working - Contacted");
        v.put("status.rejected", "Closed - Not Converted");
        v.put("status.recycled", "");
        v.put("status.converted", "Closed - Converted");
        v.put("status.won", "");
        v.put("status.lost", "");
        v.put(NO_VERDICT_KEY, "Open - Not Contacted");
        v.put(REASON_FIELD_KEY, "Rejection_Reason__c");
        v.put(DETAIL_FIELD_KEY, "Rejection_Detail__c");
        v.put(UNMAPPED_WITH_REASON_KEY, "rejected");
        String[][] hs = {{"accepted", "OPEN", "salesqualifiedlead"}, {"working", "IN_PROGRESS", "salesqualifiedlead"},
            {"rejected", "UNQUALIFIED", "lead"}, {"recycled", "OPEN", "lead"}, {"converted", "CONNECTED", "opportunity"},
            {"won", "", "customer"}, {"lost", "", ""}};
        for (String[] row : hs) {
            v.put("hubspot.lead-status." + row[0], row[1]);
            v.put("hubspot.lifecycle." + row[0], row[2]);
        }
        v.put("hubspot.lifecycle.allow-backwards", "false");
        v.put("sla.hours", "24");
        v.put("sla.hours-by-lead-source", "");
        v.put("sla.business-hours", "");
        v.put("sla.notify-manager", "false");
        v.put(REVERSE_SLA_HOURS_KEY, "");
        v.put(REVERSE_SLA_REASONS_KEY, "Timing");
        v.put(REVERSE_SLA_LIST_KEY, "");
        return v;
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** A Salesforce field API name; it goes into SOQL, so nothing else is accepted. */
    private static String fieldName(Map<String, String> values, String key, String file, List<String> problems) {
        String v = values.get(key);
        if (!v.matches("[A-Za-z][A-Za-z0-9_]{0,79}")) {
            problems.add(file + ": " + key + ": expected a Lead field API name such as Rejection_Reason__c, got \"" + v + "\"");
            return key.equals(REASON_FIELD_KEY) ? "Rejection_Reason__c" : "Rejection_Detail__c";
        }
        return v;
    }

    private static boolean bool(Map<String, String> values, String key, String file, List<String> problems) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            problems.add(file + ": " + key + ": expected true or false, got \"" + values.get(key) + "\"");
        }
        return v.equals("true");
    }

    private static Duration hours(String value, String key, String file, List<String> problems) {
        try {
            double h = Double.parseDouble(value);
            if (h <= 0) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(Math.round(h * 3600));
        } catch (NumberFormatException e) {
            problems.add(file + ": " + key + ": expected a positive number of hours, got \"" + value + "\"");
            return Duration.ofHours(24);
        }
    }

    /** "09:00-17:00 MON-FRI Europe/Berlin". */
    private static BusinessHours businessHours(String value, String file, List<String> problems) {
        if (value.isEmpty()) {
            return null;
        }
        String[] parts = value.trim().split("\\s+");
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException();
            }
            String[] times = parts[0].split("-");
            String[] days = parts[1].toUpperCase(Locale.ROOT).split("-");
            LocalTime start = LocalTime.parse(times[0]);
            LocalTime end = LocalTime.parse(times[1]);
            DayOfWeek first = day(days[0]);
            DayOfWeek last = day(days[days.length - 1]);
            Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                set.add(d);
                if (d == last) {
                    break;
                }
            }
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException();
            }
            return new BusinessHours(start, end, set, ZoneId.of(parts[2]));
        } catch (RuntimeException e) {
            problems.add(file + ": sla.business-hours: expected e.g. 09:00-17:00 MON-FRI Europe/Berlin, got \"" + value + "\"");
            return null;
        }
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().startsWith(abbreviation) && abbreviation.length() >= 3) {
                return d;
            }
        }
        throw new IllegalArgumentException(abbreviation);
    }
}
