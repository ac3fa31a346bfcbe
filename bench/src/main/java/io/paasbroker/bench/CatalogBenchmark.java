package io.paasbroker.bench;

import io.paasbroker.bench.load.InTurns;
import io.paasbroker.bench.load.Paired;
import io.paasbroker.bench.load.Repeats;
import io.paasbroker.bench.load.Schedule;
import io.paasbroker.bench.osb.OsbPlatform;
import io.paasbroker.bench.process.CpuMeters;
import io.paasbroker.bench.report.Table;
import java.util.List;

/** GET /v2/catalog on the broker (with its auth) and on the bare framework app, in turns. */
final class CatalogBenchmark {

    /** Names of the CPU meters: the app answering (broker or bare) and the benchmark's client. */
    static final String SERVER = "server";

    static final String CLIENT = "client";

    /** An app under load and the CPU meters that see it. */
    record App(OsbPlatform platform, CpuMeters cpu) {}

    /** Broker over bare throughput, each over all its slots (the two alternate, so they share the machine). */
    record Comparison(int concurrency, Repeats<Void> broker, Repeats<Void> bare) {
        double ratio() {
            return broker.perSecond() / bare.perSecond();
        }

        String ratioRange() {
            double[] range = Paired.range(broker, bare, (b, f) -> b.perSecond() / f.perSecond());
            return String.format("%.0f-%.0f %%", 100 * range[0], 100 * range[1]);
        }
    }

    private CatalogBenchmark() {}

    static Comparison compare(App broker, App bare, int concurrency, Schedule schedule) {
        InTurns.Result<Void, Void> result = InTurns.run(
                schedule,
                concurrency,
                new InTurns.Side<>(() -> get(broker.platform()), broker.cpu()),
                new InTurns.Side<>(() -> get(bare.platform()), bare.cpu()));
        return new Comparison(concurrency, result.first(), result.second());
    }

    private static Void get(OsbPlatform platform) {
        platform.catalog();
        return null;
    }

    static Table table(List<Comparison> comparisons) {
        Table table = new Table(
                "",
                "requests/s",
                "median ms",
                "p99 ms",
                "requests",
                "errors",
                "broker/bare",
                "CPU µs/request: server",
                "client");
        for (Comparison c : comparisons) {
            table.row(cells("broker  c=" + c.concurrency(), c.broker(), String.format("%.0f %%", 100 * c.ratio())));
            table.row(cells("bare    c=" + c.concurrency(), c.bare(), ""));
        }
        return table;
    }

    /**
     * Server CPU per request, broker over bare: steadier than throughput on a shared machine, and once the cores are
     * saturated the throughput ratio tends to its inverse.
     */
    static String cpuRatios(List<Comparison> comparisons) {
        StringBuilder line = new StringBuilder("server CPU per request, broker over bare:");
        for (Comparison c : comparisons) {
            double ratio = c.broker().cpuMillisPerOperation(SERVER) / c.bare().cpuMillisPerOperation(SERVER);
            line.append(String.format(" %.1fx at c=%d;", ratio, c.concurrency()));
        }
        line.setLength(line.length() - 1);
        return line.append('\n').toString();
    }

    static String errors(List<Comparison> comparisons) {
        StringBuilder lines = new StringBuilder();
        for (Comparison c : comparisons) {
            Failures.append(lines, "catalog broker c=" + c.concurrency(), c.broker());
            Failures.append(lines, "catalog bare c=" + c.concurrency(), c.bare());
        }
        return lines.toString();
    }

    private static Object[] cells(String name, Repeats<Void> repeats, String ratio) {
        return new Object[] {
            name,
            Table.rate(repeats.perSecond()),
            String.format("%.2f", repeats.medianMillis()),
            String.format("%.2f", repeats.p99Millis()),
            repeats.completed(),
            repeats.errors(),
            ratio,
            micros(repeats.cpuMillisPerOperation(SERVER)),
            micros(repeats.cpuMillisPerOperation(CLIENT))
        };
    }

    private static String micros(double millis) {
        return Double.isNaN(millis) ? "-" : String.format("%.0f", 1000 * millis);
    }
}
