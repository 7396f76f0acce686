package io.closedloop.config;

/** A daily API budget: a number of calls, or a percentage of the allowance the API reports. */
public record DailyBudget(long calls, int percent) {
    public static DailyBudget ofCalls(long calls) {
        return new DailyBudget(calls, 0);
    }

    public static DailyBudget ofPercent(int percent) {
        return new DailyBudget(0, percent);
    }

    /** The budget in calls for a given daily allowance. */
    public long of(long allowance) {
        return percent > 0 ? allowance * percent / 100 : calls;
    }

    @Override
    public String toString() {
        return percent > 0 ? percent + "%" : Long.toString(calls);
    }
}
