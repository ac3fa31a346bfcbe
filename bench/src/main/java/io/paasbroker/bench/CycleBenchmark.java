package io.paasbroker.bench;

import io.paasbroker.bench.cycle.Cycle;
import io.paasbroker.bench.cycle.CycleTiming;
import io.paasbroker.bench.load.InTurns;
import io.paasbroker.bench.load.Repeats;
import io.paasbroker.bench.load.Schedule;
import io.paasbroker.bench.process.CpuMeters;
import io.paasbroker.bench.report.StepTable;
import io.paasbroker.bench.report.Table;
import java.util.List;

/** A service's cycle through the broker and raw, in turns, with the CPU each process spent on it. */
final class CycleBenchmark {

    /** Names of the CPU meters a comparison reads. */
    static final String BROKER = "broker";

    static final String BROKER_JIT = "broker JIT";
    static final String SERVER = "server";
    static final String BENCH = "bench";

    private CycleBenchmark() {}

    static CycleComparison compare(
            String label, Cycle broker, Cycle raw, int concurrency, Schedule schedule, CpuMeters cpu) {
        InTurns.Result<CycleTiming, CycleTiming> result = InTurns.run(
                schedule, concurrency, new InTurns.Side<>(broker::run, cpu), new InTurns.Side<>(raw::run, cpu));
        return new CycleComparison(label, concurrency, result.first(), result.second());
    }

    static Table table(List<CycleComparison> comparisons) {
        Table table = new Table(
                "",
                "cycles/s",
                "median ms",
                "p99 ms",
                "cycles",
                "errors",
                "broker/raw",
                "(per round)",
                "broker's own ms",
                "(in broker)",
                "CPU ms/cycle: broker",
                "(JIT)",
                "server",
                "bench");
        for (CycleComparison c : comparisons) {
            table.row(cells(
                    c.label() + "  broker  c=" + c.concurrency(),
                    c.broker(),
                    String.format("%.2fx", c.ratio()),
                    c.ratioRange(),
                    Table.ms(c.ownCostMillis()),
                    Table.ms(c.inBrokerMillis())));
            table.row(cells(c.label() + "  raw     c=" + c.concurrency(), c.raw(), "", "", "", ""));
        }
        return table;
    }

    private static Object[] cells(
            String name,
            Repeats<CycleTiming> repeats,
            String ratio,
            String ratioRange,
            String ownCost,
            String inBroker) {
        return new Object[] {
            name,
            Table.rate(repeats.perSecond()),
            Table.ms(repeats.medianMillis()),
            Table.ms(repeats.p99Millis()),
            repeats.completed(),
            repeats.errors(),
            ratio,
            ratioRange,
            ownCost,
            inBroker,
            Table.ms(repeats.cpuMillisPerOperation(BROKER)),
            Table.ms(repeats.cpuMillisPerOperation(BROKER_JIT)),
            Table.ms(repeats.cpuMillisPerOperation(SERVER)),
            Table.ms(repeats.cpuMillisPerOperation(BENCH))
        };
    }

    /** A line per side that had failures, with the first one: failed cycles are left out of the numbers. */
    static String errors(List<CycleComparison> comparisons) {
        StringBuilder lines = new StringBuilder();
        for (CycleComparison c : comparisons) {
            Failures.append(lines, c.label() + " broker c=" + c.concurrency(), c.broker());
            Failures.append(lines, c.label() + " raw c=" + c.concurrency(), c.raw());
        }
        return lines.toString();
    }

    /** Where a cycle's time goes, step by step. */
    static Table steps(CycleComparison c) {
        return StepTable.ownCost(c.label() + " step, c=" + c.concurrency(), c.broker(), c.raw());
    }
}
