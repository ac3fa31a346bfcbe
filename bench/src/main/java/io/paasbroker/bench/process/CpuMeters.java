package io.paasbroker.bench.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Named CPU meters read before and after a piece of work. */
public final class CpuMeters {

    private final Map<String, CpuMeter> meters = new LinkedHashMap<>();

    public CpuMeters with(String name, CpuMeter meter) {
        meters.put(name, meter);
        return this;
    }

    /** Runs {@code work} and returns its result with the CPU each meter counted meanwhile, in nanoseconds. */
    public <T> Measured<T> measure(Supplier<T> work) {
        Map<String, Long> before = read();
        T result = work.get();
        Map<String, Long> after = read();
        Map<String, Long> used = new LinkedHashMap<>();
        before.forEach((name, start) -> {
            long end = after.get(name);
            used.put(name, start < 0 || end < 0 ? -1 : Math.max(0, end - start));
        });
        return new Measured<>(result, used);
    }

    private Map<String, Long> read() {
        Map<String, Long> values = new LinkedHashMap<>();
        meters.forEach((name, meter) -> values.put(name, meter.cpuNanos()));
        return values;
    }

    public record Measured<T>(T result, Map<String, Long> cpuNanos) {}
}
