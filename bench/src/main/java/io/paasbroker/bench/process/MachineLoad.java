package io.paasbroker.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the whole machine did between two readings of /proc/stat, next to the CPU this benchmark's own processes used:
 * on shared cores, other users' work is the first suspect when numbers move between runs.
 */
public final class MachineLoad {

    private final long[] start;
    private final long startNanos = System.nanoTime();

    private MachineLoad(long[] start) {
        this.start = start;
    }

    public static MachineLoad start() {
        return new MachineLoad(read());
    }

    /** A sentence on the interval since {@link #start()}, given the CPU our own processes used meanwhile. */
    public String summary(long oursNanos) {
        long[] end = read();
        if (start.length < 8 || end.length < 8) {
            return "machine load: /proc/stat unreadable";
        }
        double wall = (System.nanoTime() - startNanos) / 1e9;
        // user nice system idle iowait irq softirq steal (in ticks)
        long busy = delta(end, 0) + delta(end, 1) + delta(end, 2) + delta(end, 5) + delta(end, 6);
        long steal = delta(end, 7);
        double busyCores = busy * CpuMeter.TICK_NANOS / 1e9 / wall;
        double ourCores = oursNanos / 1e9 / wall;
        return String.format(
                "machine during the run: %.2f of %d cores busy on average, %.2f of them this benchmark's processes,"
                        + " %.2f others'; steal %.2f cores",
                busyCores,
                Runtime.getRuntime().availableProcessors(),
                ourCores,
                Math.max(0, busyCores - ourCores),
                steal * CpuMeter.TICK_NANOS / 1e9 / wall);
    }

    private long delta(long[] end, int field) {
        return end[field] - start[field];
    }

    private static long[] read() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] values = new long[fields.length - 1];
            for (int i = 1; i < fields.length; i++) {
                values[i - 1] = Long.parseLong(fields[i]);
            }
            return values;
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }
}
