package io.paasbroker.bench;

import io.paasbroker.bench.cycle.Cycle;
import io.paasbroker.bench.cycle.CycleTiming;
import io.paasbroker.bench.load.Bootstrap;
import io.paasbroker.bench.load.InTurns;
import io.paasbroker.bench.load.Limits;
import io.paasbroker.bench.load.LoadRunner;
import io.paasbroker.bench.load.Paired;
import io.paasbroker.bench.load.Repeats;
import io.paasbroker.bench.load.Schedule;
import io.paasbroker.bench.process.CpuMeters;
import io.paasbroker.bench.report.StepTable;
import io.paasbroker.bench.report.Table;
import io.paasbroker.bench.state.StateStoreFiller;
import java.sql.SQLException;

/**
 * The broker's cycle at c=1 with and without N more instances in its state store, switching the store between the two
 * every round (fill, or delete and vacuum): each filled slot is compared with the empty slot next to it, so the
 * machine's drift, which is larger than the effect sought, cancels out.
 */
final class StateStoreBenchmark {

    record Result(int instances, Repeats<CycleTiming> empty, Repeats<CycleTiming> filled) {

        /** Filled over empty median cycle, minus one, over all cycles of each state. */
        double slowdown() {
            return filled.medianMillis() / empty.medianMillis() - 1;
        }

        /** 90 % bootstrap interval of {@link #slowdown()}. */
        double[] slowdownInterval() {
            return Bootstrap.interval(filled.allLatencies(), empty.allLatencies(), (f, e) -> f / e - 1);
        }

        /** The same for single rounds: lowest and highest. */
        String range() {
            double[] range = Paired.range(filled, empty, (f, e) -> f.medianMillis() / e.medianMillis() - 1);
            return String.format("%+.0f %% to %+.0f %%", 100 * range[0], 100 * range[1]);
        }
    }

    private StateStoreBenchmark() {}

    static Result compare(Cycle broker, StateStoreFiller filler, int instances, Schedule schedule, CpuMeters cpu)
            throws SQLException {
        InTurns.Side<CycleTiming> side = new InTurns.Side<>(broker::run, cpu);
        LoadRunner.run(1, Limits.of(Integer.MAX_VALUE, schedule.warmUp()), broker::run);
        Limits slot = Limits.of(Integer.MAX_VALUE, schedule.slot());
        Repeats<CycleTiming> empty = new Repeats<>();
        Repeats<CycleTiming> filled = new Repeats<>();
        for (int round = 0; round < schedule.rounds(); round++) {
            if (round % 2 == 0) {
                empty.add(InTurns.measure(side, 1, slot));
                filler.fill(instances);
                filled.add(InTurns.measure(side, 1, slot));
                filler.empty();
            } else {
                filler.fill(instances);
                filled.add(InTurns.measure(side, 1, slot));
                filler.empty();
                empty.add(InTurns.measure(side, 1, slot));
            }
        }
        return new Result(instances, empty, filled);
    }

    /** Where the difference is: steps without a CREATE or DROP DATABASE vary far less. */
    static Table steps(String service, Result result) {
        return StepTable.of(
                service + " step, c=1",
                String.format("with %,d more, median ms", result.instances()),
                result.filled(),
                "as it is, median ms",
                result.empty(),
                "added ms");
    }

    static Table table(String service, Result result) {
        Table table = new Table(
                service + " through the broker, c=1",
                "cycles/s",
                "median ms",
                "p99 ms",
                "cycles",
                "errors",
                "CPU ms/cycle: broker",
                "(JIT)",
                "server");
        row(table, "state store as it is", result.empty());
        row(table, String.format("with %,d more instances", result.instances()), result.filled());
        return table;
    }

    private static void row(Table table, String name, Repeats<CycleTiming> repeats) {
        table.row(
                name,
                Table.rate(repeats.perSecond()),
                Table.ms(repeats.medianMillis()),
                Table.ms(repeats.p99Millis()),
                repeats.completed(),
                repeats.errors(),
                Table.ms(repeats.cpuMillisPerOperation(CycleBenchmark.BROKER)),
                Table.ms(repeats.cpuMillisPerOperation(CycleBenchmark.BROKER_JIT)),
                Table.ms(repeats.cpuMillisPerOperation(CycleBenchmark.SERVER)));
    }
}
