package io.closedloop.salesforce;

import io.closedloop.state.EventLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one line a rep reads at a glance, e.g. "Clicked 'Pricing' email 2×, submitted Demo request form,
 * 5 page views in 7 days". Built from the ledger, most telling activity first, at most 255 characters.
 */
public final class MarketingSummary {
    public static final int MAX = 255;

    private MarketingSummary() {
    }

    /** @param activities one person's activities in the window, any order */
    public static String forPerson(List<EventLedger.Activity> activities, int days) {
        Map<String, Integer> clicks = new LinkedHashMap<>();
        Map<String, Integer> opens = new LinkedHashMap<>();
        Map<String, Integer> forms = new LinkedHashMap<>();
        Map<String, Integer> lists = new LinkedHashMap<>();
        int pageViews = 0;
        boolean mql = false;
        boolean unsubscribed = false;
        boolean bounced = false;
        for (EventLedger.Activity a : activities) {
            String asset = a.assetName() == null ? "an" : "'" + a.assetName() + "'";
            switch (String.valueOf(a.activityType())) {
                case "Email Click" -> clicks.merge(asset, 1, Integer::sum);
                case "Email Open" -> opens.merge(asset, 1, Integer::sum);
                case "Form Submission" -> forms.merge(a.assetName() == null ? "a" : a.assetName(), 1, Integer::sum);
                case "List Joined" -> lists.merge(a.assetName() == null ? "a" : a.assetName(), 1, Integer::sum);
                case "Page Visit" -> pageViews++;
                case "Became MQL" -> mql = true;
                case "Email Unsubscribe" -> unsubscribed = true;
                case "Email Bounce" -> bounced = true;
                default -> {
                    // score and lifecycle changes have their own fields
                }
            }
        }
        List<String> parts = new ArrayList<>();
        if (mql) {
            parts.add("became an MQL");
        }
        top(clicks).forEach(e -> parts.add("clicked " + e.getKey() + " email" + times(e.getValue())));
        top(forms).forEach(e -> parts.add("submitted " + e.getKey() + " form" + times(e.getValue())));
        if (pageViews > 0) {
            parts.add(pageViews + " page visit" + (pageViews == 1 ? "" : "s"));
        }
        top(opens).forEach(e -> parts.add("opened " + e.getKey() + " email" + times(e.getValue())));
        top(lists).forEach(e -> parts.add("joined " + e.getKey() + " list"));
        if (unsubscribed) {
            parts.add("unsubscribed");
        }
        if (bounced) {
            parts.add("email bounced");
        }
        if (parts.isEmpty()) {
            return "No marketing activity in " + days + " days";
        }
        return fit(capitalize(String.join(", ", parts)), " in " + days + " days");
    }

    /** The account line: how many people, how much activity, and of what kind. */
    public static String forAccount(List<EventLedger.Activity> activities, int days) {
        return forAccount(activity(activities), days);
    }

    /** The same line from counts (as the ledger aggregates them): kinds by count, then the most recent kind first. */
    public static String forAccount(EventLedger.AccountActivity activity, int days) {
        long people = activity.people();
        long total = activity.activities();
        List<String> kinds = new ArrayList<>();
        activity.byType().stream()
                .sorted(java.util.Comparator.comparingLong(EventLedger.TypeCount::count).reversed()
                        .thenComparing(EventLedger.TypeCount::newest, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder()))
                        .thenComparing(t -> String.valueOf(t.activityType())))
                .forEach(t -> kinds.add(t.count() + " " + String.valueOf(t.activityType()).toLowerCase(java.util.Locale.ROOT)));
        String head = people + (people == 1 ? " person, " : " people, ") + total + " activit"
                + (total == 1 ? "y" : "ies") + " in " + days + " days";
        return fit(head + (kinds.isEmpty() ? "" : ": " + String.join(", ", kinds)), "");
    }

    /** Counts of a list of activities, as {@link EventLedger#accountActivity} computes them in the database. */
    public static EventLedger.AccountActivity activity(List<EventLedger.Activity> activities) {
        Map<String, long[]> byType = new LinkedHashMap<>();
        Map<String, java.time.Instant> newest = new LinkedHashMap<>();
        for (EventLedger.Activity a : activities) {
            String type = a.activityType();
            byType.computeIfAbsent(type, k -> new long[1])[0]++;
            if (a.occurredAt() != null) {
                newest.merge(type, a.occurredAt(), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        List<EventLedger.TypeCount> types = new ArrayList<>();
        byType.forEach((type, n) -> types.add(new EventLedger.TypeCount(type, n[0], newest.get(type))));
        long people = activities.stream().map(EventLedger.Activity::subjectId).filter(java.util.Objects::nonNull).distinct().count();
        return new EventLedger.AccountActivity(activities.size(), people, types);
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3).toList();
    }

    private static String times(int n) {
        return n > 1 ? " " + n + "×" : "";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Keeps the tail (" in 7 days") and cuts the body at a comma so the line stays readable. */
    private static String fit(String body, String tail) {
        if (body.length() + tail.length() <= MAX) {
            return body + tail;
        }
        int room = MAX - tail.length() - 1;
        int cut = body.lastIndexOf(", ", room);
        return (cut > 0 ? body.substring(0, cut) : body.substring(0, room)) + "…" + tail;
    }
}
