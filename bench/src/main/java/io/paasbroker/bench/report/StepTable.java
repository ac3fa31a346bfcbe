package io.paasbroker.bench.report;

import io.paasbroker.bench.cycle.CycleTiming;
import io.paasbroker.bench.load.Percentiles;
import io.paasbroker.bench.load.Repeats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** Where a cycle's time goes, step by step: medians of each step over all cycles. */
public final class StepTable {

    private static final Map<String, Function<CycleTiming, CycleTiming.Step>> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("provision   (PUT instance)", CycleTiming::provision);
        STEPS.put("bind        (PUT binding)", CycleTiming::bind);
        STEPS.put("unbind      (DELETE binding)", CycleTiming::unbind);
        STEPS.put("deprovision (DELETE instance)", CycleTiming::deprovision);
    }

    private StepTable() {}

    /** Two sides' medians of each step, and their difference. */
    public static Table of(
            String title,
            String leftName,
            Repeats<CycleTiming> left,
            String rightName,
            Repeats<CycleTiming> right,
            String differenceName) {
        Table table = new Table(title, leftName, rightName, differenceName);
        STEPS.forEach((name, step) -> {
            double a = median(left, t -> step.apply(t).nanos());
            double b = median(right, t -> step.apply(t).nanos());
            table.row(name, Table.ms(a), Table.ms(b), Table.ms(a - b));
        });
        return table;
    }

    /**
     * Through the broker, each step's median latency, median backing time (as the broker reported it), median own
     * time (each call's latency minus its backing time) and, of it, the median time inside the broker (its reported
     * total minus backing); beside it, the step's median done raw.
     */
    public static Table ownCost(String title, Repeats<CycleTiming> broker, Repeats<CycleTiming> raw) {
        Table table = new Table(
                title, "broker median ms", "backing median ms", "broker's own ms", "(in broker)", "raw median ms");
        STEPS.forEach((name, step) -> table.row(
                name,
                Table.ms(median(broker, t -> step.apply(t).nanos())),
                Table.ms(median(broker, t -> step.apply(t).backingNanos())),
                Table.ms(median(broker, t -> step.apply(t).ownNanos())),
                Table.ms(median(broker, t -> step.apply(t).inBrokerNanos())),
                Table.ms(median(raw, t -> step.apply(t).nanos()))));
        return table;
    }

    private static double median(Repeats<CycleTiming> repeats, ToLongFunction<CycleTiming> nanos) {
        return Percentiles.of(repeats.results().stream().mapToLong(nanos).toArray())
                .millis(0.50);
    }
}
