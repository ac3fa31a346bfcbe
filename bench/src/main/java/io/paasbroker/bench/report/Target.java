package io.paasbroker.bench.report;

/**
 * A target from the issue next to what this run measured; {@code met} is null when it was not measured, and
 * {@code withinNoise} when the measurement's interval reaches both sides of the target.
 */
public record Target(String goal, String measured, Boolean met, boolean withinNoise) {

    public Target(String goal, String measured, Boolean met) {
        this(goal, measured, met, false);
    }

    /** A target whose value must be at most {@code limit}, judged with the value's 90 % interval. */
    public static Target atMost(String goal, String measured, double value, double[] interval, double limit) {
        return new Target(goal, measured, value <= limit, interval[0] <= limit && interval[1] > limit);
    }

    /** A target whose value must be at least {@code limit}, judged with the value's interval. */
    public static Target atLeast(String goal, String measured, double value, double[] interval, double limit) {
        return new Target(goal, measured, value >= limit, interval[0] < limit && interval[1] >= limit);
    }

    public String verdict() {
        if (met == null) {
            return "not measured";
        }
        return (met ? "met" : "NOT met") + (withinNoise ? " (within noise)" : "");
    }

    public static Table table(Iterable<Target> targets) {
        Table table = new Table("target (from the issue)", "measured", "verdict");
        targets.forEach(t -> table.row(t.goal(), t.measured(), t.verdict()));
        return table;
    }
}
