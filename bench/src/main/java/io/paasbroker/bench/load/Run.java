package io.paasbroker.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What one load run measured: the latency of each successful operation, what each returned, the wall time from the
 * first start to the last end, the failures, and the CPU time processes used meanwhile (by name, when metered).
 */
public record Run<T>(
        long[] latencyNanos,
        List<T> results,
        long elapsedNanos,
        int errors,
        String firstError,
        Map<String, Long> cpuNanos) {

    public Run<T> withCpu(Map<String, Long> cpu) {
        return new Run<>(latencyNanos, results, elapsedNanos, errors, firstError, Map.copyOf(cpu));
    }

    public int completed() {
        return latencyNanos.length;
    }

    public double perSecond() {
        return elapsedNanos == 0 ? 0 : completed() * 1e9 / elapsedNanos;
    }

    public double medianMillis() {
        return Percentiles.of(latencyNanos).millis(0.50);
    }
}
