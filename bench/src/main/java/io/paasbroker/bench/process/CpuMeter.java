package io.paasbroker.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU time a process has used so far, from /proc (Linux; 10 ms ticks): on a machine where client, broker and database
 * share two cores, CPU per operation tells who does the work better than latency alone.
 */
public interface CpuMeter {

    long TICK_NANOS = 10_000_000; // USER_HZ is 100 on every Linux build this runs on

    /** CPU time used so far, in nanoseconds; -1 when it cannot be read. */
    long cpuNanos();

    /** A single process, all its threads: a JVM. */
    static CpuMeter ofProcess(long pid) {
        return () -> ticks(pid, false).map(t -> t * TICK_NANOS).orElse(-1L);
    }

    /**
     * A server that forks a process per connection (PostgreSQL): the server itself, its exited children it has reaped
     * and its live children. A child that exits between two readings is counted once it is reaped.
     */
    static CpuMeter ofServerTree(long pid) {
        return () -> {
            Optional<Long> own = ticks(pid, true);
            if (own.isEmpty()) {
                return -1L;
            }
            long total = own.get();
            List<ProcessHandle> children =
                    ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(List.of());
            for (ProcessHandle child : children) {
                total += ticks(child.pid(), false).orElse(0L);
            }
            return total * TICK_NANOS;
        };
    }

    /**
     * The threads of a process whose names start with one of {@code prefixes}. A thread that ends between two readings
     * takes its time with it, so this may count low.
     */
    static CpuMeter ofThreads(long pid, List<String> prefixes) {
        return () -> {
            try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
                long total = 0;
                for (Path task : tasks.toList()) {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (prefixes.stream().anyMatch(name::startsWith)) {
                        total += ticks(task, false).orElse(0L);
                    }
                }
                return total * TICK_NANOS;
            } catch (IOException | RuntimeException e) {
                return -1L;
            }
        };
    }

    /** A JVM's just-in-time compiler threads: what warming up still costs. */
    static CpuMeter ofJitCompiler(long pid) {
        return ofThreads(pid, List.of("C1 CompilerThre", "C2 CompilerThre"));
    }

    static CpuMeter ofThisJvm() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** utime + stime, and with {@code reaped} the cutime + cstime of waited-for children, in ticks. */
    private static Optional<Long> ticks(long pid, boolean reaped) {
        return ticks(Path.of("/proc", String.valueOf(pid)), reaped);
    }

    private static Optional<Long> ticks(Path procEntry, boolean reaped) {
        try {
            String stat = Files.readString(procEntry.resolve("stat"));
            // the command name may hold spaces and parentheses: the fields start after the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (reaped) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return Optional.of(ticks);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
