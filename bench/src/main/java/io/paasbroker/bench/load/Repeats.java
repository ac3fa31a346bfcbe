package io.paasbroker.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The runs of one side of a comparison, in the order they were taken. Throughput, median and p99 are over all runs
 * together; {@link #runs()} lets a comparison pair each run with the other side's run taken next to it.
 */
public final class Repeats<T> {

    private final List<Run<T>> runs = new ArrayList<>();

    public void add(Run<T> run) {
        runs.add(run);
    }

    public List<Run<T>> runs() {
        return List.copyOf(runs);
    }

    public double perSecond() {
        long elapsed = runs.stream().mapToLong(Run::elapsedNanos).sum();
        return elapsed == 0 ? 0 : completed() * 1e9 / elapsed;
    }

    /** The lowest and highest rate of a single run: how much the machine moved it. */
    public double[] perSecondRange() {
        return new double[] {
            runs.stream().mapToDouble(Run::perSecond).min().orElse(Double.NaN),
            runs.stream().mapToDouble(Run::perSecond).max().orElse(Double.NaN)
        };
    }

    public double medianMillis() {
        return Percentiles.of(allLatencies()).millis(0.50);
    }

    public double p99Millis() {
        return Percentiles.of(allLatencies()).millis(0.99);
    }

    public int completed() {
        return runs.stream().mapToInt(Run::completed).sum();
    }

    public int errors() {
        return runs.stream().mapToInt(Run::errors).sum();
    }

    public String firstError() {
        return runs.stream()
                .map(Run::firstError)
                .filter(e -> e != null)
                .findFirst()
                .orElse(null);
    }

    /** CPU time the named process used per completed operation, in ms; NaN when it was not metered. */
    public double cpuMillisPerOperation(String process) {
        long total = 0;
        for (Run<T> run : runs) {
            Long used = run.cpuNanos().get(process);
            if (used == null || used < 0) {
                return Double.NaN;
            }
            total += used;
        }
        return completed() == 0 ? Double.NaN : total / 1e6 / completed();
    }

    public List<T> results() {
        return runs.stream().flatMap(r -> r.results().stream()).toList();
    }

    /** Every latency of every run, in nanoseconds. */
    public long[] allLatencies() {
        return runs.stream().flatMapToLong(r -> LongStream.of(r.latencyNanos())).toArray();
    }
}
