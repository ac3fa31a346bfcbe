package io.paasbroker.bench.load;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in nanoseconds. */
public final class Percentiles {

    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    /** The {@code p} percentile (0 < p <= 1) in milliseconds; NaN when there is no sample. */
    public double millis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
