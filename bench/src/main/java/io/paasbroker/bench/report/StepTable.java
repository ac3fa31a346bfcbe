package io.paasbroker.bench.report;

import io.paasbroker.bench.cycle.CycleTiming;
import io.paasbroker.bench.load.Percentiles;
import io.paasbroker.bench.load.Repeats;
import java.util.function.ToLongFunction;

/** Where a cycle's time goes, step by step: medians of each step over all cycles of two sides, and the difference. */
public final class StepTable {

    private StepTable() {}

    public static Table of(
            String title,
            String leftName,
            Repeats<CycleTiming> left,
            String rightName,
            Repeats<CycleTiming> right,
            String differenceName) {
        Table table = new Table(title, leftName, rightName, differenceName);
        step(table, "provision   (PUT instance)", left, right, CycleTiming::provision);
        step(table, "bind        (PUT binding)", left, right, CycleTiming::bind);
        step(table, "unbind      (DELETE binding)", left, right, CycleTiming::unbind);
        step(table, "deprovision (DELETE instance)", left, right, CycleTiming::deprovision);
        return table;
    }

    private static void step(
            Table table,
            String name,
            Repeats<CycleTiming> left,
            Repeats<CycleTiming> right,
            ToLongFunction<CycleTiming> step) {
        double a = median(left, step);
        double b = median(right, step);
        table.row(name, Table.ms(a), Table.ms(b), Table.ms(a - b));
    }

    private static double median(Repeats<CycleTiming> repeats, ToLongFunction<CycleTiming> step) {
        return Percentiles.of(repeats.results().stream().mapToLong(step).toArray())
                .millis(0.50);
    }
}
